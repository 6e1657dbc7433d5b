from __future__ import annotations

from datetime import timedelta

from db.enums import CallKind, ItemKind
from kiosk.services import calls, loans, reports
from tests.conftest import Room


def test_overdue_list_most_overdue_first(room: Room) -> None:
    book = room.barcodes("book")[0]
    ball = room.barcodes("sports")[0]
    loans.borrow_copy(room.uow, room.child(0), book)
    room.clock.advance(days=1)
    loans.borrow_copy(room.uow, room.child(1), ball)
    room.clock.advance(days=20)
    overdue = reports.overdue_loans(room.uow)
    assert [o.barcode for o in overdue] == [ball, book]
    assert overdue[0].days_overdue == 20 and overdue[1].days_overdue == 7


def test_borrow_records_filter(room: Room) -> None:
    book = room.barcodes("book")[0]
    ball = room.barcodes("sports")[0]
    loans.borrow_copy(room.uow, room.child(0), book)
    loans.borrow_copy(room.uow, room.child(1), ball)
    loans.return_copy(room.uow, ball)
    assert {r.barcode for r in reports.borrow_records(room.uow)} == {book, ball}
    assert [r.barcode for r in reports.borrow_records(room.uow, open_only=True)] == [book]
    assert [r.barcode for r in reports.borrow_records(room.uow, kind=ItemKind.SPORTS)] == [ball]
    assert [r.barcode for r in reports.borrow_records(room.uow, child_id=room.child(0))] == [book]


def test_todays_visits_and_calls(room: Room) -> None:
    room.tap(0)
    room.tap(1)
    callee = calls.callees_for(room.uow, room.child(0))[0]
    calls.start_family_call(room.uow, room.child(0), callee.contact_id, CallKind.PHONE)
    assert len(reports.visits_on(room.uow)) == 2
    [line] = reports.calls_on(room.uow)
    assert line.relation is callee.relation
    room.clock.advance(days=1)
    assert reports.visits_on(room.uow) == []


def test_child_history_merges_newest_first(room: Room) -> None:
    room.tap(0)
    room.clock.advance(minutes=1)
    callee = calls.callees_for(room.uow, room.child(0))[0]
    calls.start_family_call(room.uow, room.child(0), callee.contact_id, CallKind.PHONE)
    room.clock.advance(minutes=1)
    loans.borrow_copy(room.uow, room.child(0), room.barcodes("book")[0])
    history = reports.child_history(room.uow, room.child(0))
    assert [h.what for h in history] == ["loan", "call", "visit"]
    assert reports.child_history(room.uow, room.child(0), limit=2)[-1].what == "call"


def test_stock_summary_counts_each_state(room: Room) -> None:
    from db.enums import ReturnCondition

    balls = room.barcodes("sports", 2)
    loans.borrow_copy(room.uow, room.child(0), balls[0])
    loans.borrow_copy(room.uow, room.child(1), balls[1])
    loans.return_copy(room.uow, balls[1], ReturnCondition.DAMAGED, child_id=room.child(1))
    line = next(s for s in reports.stock_summary(room.uow) if s.title == "篮球")
    assert (line.copies, line.on_loan, line.damaged, line.lost, line.on_shelf) == (6, 1, 1, 0, 4)


def test_birthdays_today_for_the_administrator(room: Room) -> None:
    from datetime import date

    from db.models import Child

    with room.uow:
        room.uow.session.get(Child, room.child(2)).birthday = date(2017, 11, 23)
        room.uow.commit()
    assert room.child(2) in {b.child_id for b in reports.birthdays_today(room.uow)}


def test_find_children_by_part_of_a_name(room: Room) -> None:
    from db.models import Child

    with room.uow.read() as session:
        name = session.get(Child, room.child(4)).name
    assert room.child(4) in {c.id for c in reports.find_children(room.uow, name[1:])}
    assert reports.find_children(room.uow, "   ") == []
    assert reports.find_children(room.uow, "%") == []  # wildcards are literal


def test_overdue_report_ignores_returned_items(room: Room) -> None:
    book = room.barcodes("book")[0]
    loans.borrow_copy(room.uow, room.child(0), book)
    room.clock.advance(timedelta(days=30))
    loans.return_copy(room.uow, book)
    assert reports.overdue_loans(room.uow) == []
