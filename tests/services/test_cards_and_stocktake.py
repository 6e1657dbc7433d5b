from __future__ import annotations

import pytest

from db.enums import ReturnCondition
from db.limits import BARCODE_MAX, CARD_UID_MAX
from kiosk.platform.words import refusal_message
from kiosk.services import cards, loans, signin, stocktake
from kiosk.services.errors import (
    CardAlreadyRegistered,
    CardInUse,
    CardUidTooLong,
    InvalidCardUid,
    StocktakeAlreadyOpen,
    StocktakeNotOpen,
    UnknownCard,
    UnusableBarcode,
)
from tests.conftest import Room


def test_new_card_is_registered_to_a_child_and_signs_them_in(room: Room) -> None:
    uid = cards.register_card(room.uow, room.staff(), "04 a1 b2 c3", child_id=room.child(3))
    assert uid == "04A1B2C3"
    result = signin.tap_card(room.uow, uid)
    assert isinstance(result, signin.SignedIn) and result.child.id == room.child(3)
    assert room.events("card.registered")[0].payload["child_id"] == str(room.child(3))


def test_card_of_another_child_is_not_silently_taken_over(room: Room) -> None:
    before = room.state()
    with pytest.raises(CardInUse):
        cards.register_card(room.uow, room.staff(), room.card_of(0), child_id=room.child(1))
    with pytest.raises(CardAlreadyRegistered):
        cards.register_card(room.uow, room.staff(), room.card_of(0), child_id=room.child(0))
    assert room.state() == before


def test_a_lost_card_can_be_given_out_again(room: Room) -> None:
    cards.report_card_lost(room.uow, room.staff(), room.card_of(0))
    cards.register_card(room.uow, room.staff(), room.card_of(0), child_id=room.child(1))
    result = signin.tap_card(room.uow, room.card_of(0))
    assert isinstance(result, signin.SignedIn) and result.child.id == room.child(1)


def test_unreadable_uid_and_unknown_card_are_refused(room: Room) -> None:
    with pytest.raises(InvalidCardUid):
        cards.register_card(room.uow, room.staff(), "???", child_id=room.child())
    with pytest.raises(UnknownCard):
        cards.report_card_lost(room.uow, room.staff(), "ABCDEF01")


def test_a_card_number_too_long_for_the_school_server_is_refused_where_it_is_registered(room: Room) -> None:
    """A 40-character UID used to be stored here and then fail every push to a PostgreSQL server."""
    before = room.state()
    with pytest.raises(CardUidTooLong) as refused:
        cards.register_card(room.uow, room.staff(), "0A" * 20, child_id=room.child(3))
    assert room.state() == before  # nothing recorded, so nothing to send
    assert str(CARD_UID_MAX) in refusal_message(refused.value, "zh_CN")
    longest = "B" * CARD_UID_MAX
    assert cards.register_card(room.uow, room.staff(), longest, child_id=room.child(3)) == longest


def test_a_scanned_code_no_label_can_have_is_refused_in_a_stocktake(room: Room) -> None:
    take = stocktake.start_stocktake(room.uow, room.staff())
    before = room.state()
    for code in ("", "   ", "9" * (BARCODE_MAX + 1)):
        with pytest.raises(UnusableBarcode):
            stocktake.record_scan(room.uow, take, code)
    assert room.state() == before
    assert not stocktake.record_scan(room.uow, take, "Q" * BARCODE_MAX).expected  # unknown, but stored
    stocktake.finish_stocktake(room.uow, take, room.staff())
    [finished] = room.events("stocktake.finished")
    assert finished.payload["unexpected_barcodes"] == ["Q" * BARCODE_MAX]


def test_stocktake_finds_whats_missing_and_whats_unexpected(room: Room) -> None:
    books = room.barcodes("book", 3)
    loans.borrow_copy(room.uow, room.child(), books[0])  # out on loan: not expected on the shelf
    loans.borrow_copy(room.uow, room.child(1), books[1])
    loans.return_copy(room.uow, books[1], ReturnCondition.LOST, child_id=room.child(1))
    take = stocktake.start_stocktake(room.uow, room.staff())
    with pytest.raises(StocktakeAlreadyOpen):
        stocktake.start_stocktake(room.uow, room.staff())
    with room.uow.read() as session:
        from sqlalchemy import select

        from db.enums import CopyStatus
        from db.models import Copy

        on_shelf = list(session.scalars(select(Copy.barcode).where(Copy.status == CopyStatus.IN_SERVICE)))
    missing_one = books[2]
    for code in on_shelf:
        if code not in (books[0], missing_one):
            outcome = stocktake.record_scan(room.uow, take, code)
            assert outcome.expected
    outcome = stocktake.record_scan(room.uow, take, books[0])  # found on the shelf, though "on loan"
    assert not outcome.expected
    assert stocktake.record_scan(room.uow, take, books[0]).already_scanned
    stocktake.record_scan(room.uow, take, books[1])  # the "lost" one turned up
    stocktake.record_scan(room.uow, take, "XX999")
    report = stocktake.finish_stocktake(room.uow, take, room.staff())
    assert [line.barcode for line in report.missing] == [missing_one]
    assert {(line.barcode, line.note) for line in report.unexpected} == {
        (books[0], "on loan"),
        (books[1], "lost"),
        ("XX999", "unknown"),
    }
    [event] = room.events("stocktake.finished")
    assert event.payload["unexpected_barcodes"] == sorted([books[0], books[1], "XX999"])
    with pytest.raises(StocktakeNotOpen):
        stocktake.record_scan(room.uow, take, books[2])


def test_open_stocktake_survives_a_restart(room: Room) -> None:
    take = stocktake.start_stocktake(room.uow, room.staff())
    stocktake.record_scan(room.uow, take, room.barcodes("book")[0])
    assert stocktake.open_stocktake(room.uow) == take
