from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.enums import CopyStatus, ItemKind, ReturnCondition
from db.models import CatalogueItem, Copy, Loan
from kiosk.services import loans, reports
from kiosk.services.errors import (
    AlreadyOnLoan,
    CopyNotLendable,
    HasOverdueLoans,
    LoanLimitReached,
    NoCopyAvailable,
    NotInCatalogue,
    NotOnLoan,
    UnknownChild,
)
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def test_borrowing_a_book_gives_fourteen_days(room: Room) -> None:
    [barcode] = room.barcodes("book")
    receipt = loans.borrow_copy(room.uow, room.child(), barcode)
    assert receipt.kind is ItemKind.BOOK
    assert receipt.due_date == date(2026, 11, 23) + timedelta(days=14)
    [event] = room.events("loan.borrowed")
    assert event.payload["loan_id"] == str(receipt.loan_id)


def test_equipment_is_due_back_the_same_day(room: Room) -> None:
    [barcode] = room.barcodes("chess")
    receipt = loans.borrow_copy(room.uow, room.child(), barcode)
    assert receipt.due_date == date(2026, 11, 23)
    room.clock.advance(hours=9)  # 00:30 next day in Shanghai
    assert [o.loan_id for o in reports.overdue_loans(room.uow)] == [receipt.loan_id]


def test_item_already_on_loan_is_refused_for_anyone(room: Room) -> None:
    [barcode] = room.barcodes("book")
    loans.borrow_copy(room.uow, room.child(0), barcode)
    before = room.state()
    with pytest.raises(AlreadyOnLoan):
        loans.borrow_copy(room.uow, room.child(1), barcode)
    assert room.state() == before


def test_barcode_not_in_catalogue_is_refused(room: Room) -> None:
    before = room.state()
    with pytest.raises(NotInCatalogue) as refused:
        loans.borrow_copy(room.uow, room.child(), "9787000000000")
    assert refused.value.params == {"barcode": "9787000000000"}
    with pytest.raises(NotInCatalogue):
        loans.return_copy(room.uow, "9787000000000")
    assert room.state() == before


def test_return_of_an_item_not_on_loan_is_refused(room: Room) -> None:
    [barcode] = room.barcodes("book")
    before = room.state()
    with pytest.raises(NotOnLoan):
        loans.return_copy(room.uow, barcode)
    assert room.state() == before


def test_per_child_limit_per_kind(room: Room) -> None:
    books = room.barcodes("book", 3)
    loans.borrow_copy(room.uow, room.child(), books[0])
    loans.borrow_copy(room.uow, room.child(), books[1])
    before = room.state()
    with pytest.raises(LoanLimitReached) as refused:
        loans.borrow_copy(room.uow, room.child(), books[2])
    assert refused.value.params == {"kind": "book", "limit": 2}
    assert room.state() == before
    # a different kind has its own limit
    loans.borrow_copy(room.uow, room.child(), room.barcodes("sports")[0])


def test_overdue_items_block_new_borrowing_until_returned(room: Room) -> None:
    old, new = room.barcodes("book", 2)
    loans.borrow_copy(room.uow, room.child(), old)
    room.clock.advance(days=20)
    with pytest.raises(HasOverdueLoans):
        loans.borrow_copy(room.uow, room.child(), new)
    receipt = loans.return_copy(room.uow, old)
    assert receipt.days_overdue == 6
    loans.borrow_copy(room.uow, room.child(), new)


def test_school_may_allow_borrowing_while_overdue(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "borrow_blocked_when_overdue", False)
        room.uow.commit()
    old, new = room.barcodes("book", 2)
    loans.borrow_copy(room.uow, room.child(), old)
    room.clock.advance(days=20)
    loans.borrow_copy(room.uow, room.child(), new)


def test_damaged_return_is_compensated_at_price_and_taken_off_the_shelf(room: Room) -> None:
    [barcode] = room.barcodes("book")
    loans.borrow_copy(room.uow, room.child(), barcode)
    receipt = loans.return_copy(room.uow, barcode, ReturnCondition.DAMAGED, child_id=room.child())
    with room.uow.read() as session:
        copy = session.scalar(select(Copy).where(Copy.barcode == barcode))
        assert copy.status is CopyStatus.DAMAGED
        assert receipt.compensation_fen == copy.item.price_fen > 0
    with pytest.raises(CopyNotLendable):
        loans.borrow_copy(room.uow, room.child(1), barcode)
    [event] = room.events("loan.returned")
    assert event.payload["condition"] == "damaged"
    assert event.payload["compensation_fen"] == receipt.compensation_fen


def test_lost_item_closes_the_loan_and_marks_the_copy_lost(room: Room) -> None:
    [barcode] = room.barcodes("sports")
    loans.borrow_copy(room.uow, room.child(), barcode)
    receipt = loans.return_copy(room.uow, barcode, ReturnCondition.LOST, staff_id=room.staff())
    assert receipt.compensation_fen is not None
    with room.uow.read() as session:
        assert session.scalar(select(Copy.status).where(Copy.barcode == barcode)) is CopyStatus.LOST


def test_anyone_may_bring_a_book_back(room: Room) -> None:
    [barcode] = room.barcodes("book")
    loans.borrow_copy(room.uow, room.child(0), barcode)
    receipt = loans.return_copy(room.uow, barcode)
    assert receipt.child_id == room.child(0)


def test_picking_from_the_picture_list_takes_any_copy_on_the_shelf(room: Room) -> None:
    chess = next(i for i in loans.lendable_items(room.uow, (ItemKind.CHESS,)) if i.title == "象棋")
    first = loans.borrow_item(room.uow, room.child(0), chess.item_id)
    second = loans.borrow_item(room.uow, room.child(1), chess.item_id)
    assert first.barcode != second.barcode
    after = next(i for i in loans.lendable_items(room.uow, (ItemKind.CHESS,)) if i.title == "象棋")
    assert after.available == chess.available - 2


def test_no_copy_left_is_refused(room: Room) -> None:
    with room.uow.read() as session:
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.title == "足球"))
        count = len(item.copies)
    for n in range(count):
        loans.borrow_item(room.uow, room.child(n), item.id)
    with pytest.raises(NoCopyAvailable):
        loans.borrow_item(room.uow, room.child(count), item.id)


def test_unknown_child_cannot_borrow(room: Room) -> None:
    with pytest.raises(UnknownChild):
        loans.borrow_copy(room.uow, uuid.uuid4(), room.barcodes("book")[0])


def test_database_itself_refuses_two_open_loans_of_one_copy(room: Room) -> None:
    """Belt and braces: even code that skipped the service check could not lend a copy twice."""
    import sqlalchemy.exc

    [barcode] = room.barcodes("book")
    receipt = loans.borrow_copy(room.uow, room.child(0), barcode)
    with room.uow:
        loan = room.uow.session.get(Loan, receipt.loan_id)
        room.uow.session.add(
            Loan(
                copy_id=loan.copy_id, child_id=room.child(1), borrowed_at=loan.borrowed_at, due_at=loan.due_at
            )
        )
        with pytest.raises(sqlalchemy.exc.IntegrityError):
            room.uow.session.flush()


def test_childs_own_screen_lists_what_they_have_out(room: Room) -> None:
    book, ball = room.barcodes("book")[0], room.barcodes("sports")[0]
    loans.borrow_copy(room.uow, room.child(), book)
    loans.borrow_copy(room.uow, room.child(), ball)
    out = loans.loans_of(room.uow, room.child())
    assert [o.barcode for o in out] == [ball, book]  # soonest due first
    assert not any(o.overdue for o in out)
