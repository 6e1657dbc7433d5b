"""亲情热线: a parent rings the room's phone; the duty teacher, or the child after tapping their own card,
logs who rang, for whom and how long. The record keeps when the call began, not when it was logged."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from db.enums import CallDirection, CallKind
from db.models import FamilyCall
from kiosk.services import calls, reports
from kiosk.services.errors import CalleeNotAllowed, CallerRequired, InvalidCallTimes, UnknownStaff
from tests.conftest import Room


def a_parent(room: Room, n: int = 0) -> uuid.UUID:
    return room.callees(n)[0].id


def test_the_teacher_logs_a_parents_call_that_ended_a_while_ago(room: Room) -> None:
    ended = room.clock.now() - timedelta(minutes=20)
    call_id = calls.log_incoming_call(
        room.uow, room.child(0), a_parent(room), 6, ended_at=ended, staff_id=room.staff()
    )
    with room.uow.read() as session:
        row = session.get(FamilyCall, call_id)
        assert row is not None
        assert row.direction is CallDirection.INCOMING and row.logged_by_staff_id == room.staff()
        assert (row.started_at, row.ended_at) == (ended - timedelta(minutes=6), ended)
    [started] = room.events("call.started")
    # The event is written now, but says when the call began: the office dates the call, not the typing.
    assert datetime.fromisoformat(started.payload["started_at"]) == ended - timedelta(minutes=6)
    assert started.occurred_at == room.clock.now()
    [line] = reports.calls_on(room.uow)
    assert line.direction is CallDirection.INCOMING and line.ended_at == ended


def test_the_child_logs_it_after_tapping_and_it_counts_as_contact(room: Room) -> None:
    assert room.tap(0).contact_due is True
    calls.log_incoming_call(room.uow, room.child(0), a_parent(room), 12)
    with room.uow.read() as session:
        [row] = session.query(FamilyCall).all()
        assert row.logged_by_staff_id is None and row.kind is CallKind.PHONE
    room.clock.advance(seconds=3)
    assert room.tap(0).contact_due is False  # a quick second tap: still signed in, no reminder now


def test_an_incoming_call_with_no_caller_is_refused(room: Room) -> None:
    before = room.state()
    with pytest.raises(CallerRequired):
        calls.log_incoming_call(room.uow, room.child(0), None, 5, staff_id=room.staff())
    assert room.state() == before


@pytest.mark.parametrize(
    ("minutes", "ended_minutes_from_now"),
    [(-1, 0), (181, 0), (5, 3)],
    ids=["negative length", "longer than three hours", "ends in the future"],
)
def test_impossible_lengths_and_times_are_refused(
    room: Room, minutes: int, ended_minutes_from_now: int
) -> None:
    before = room.state()
    with pytest.raises(InvalidCallTimes):
        calls.log_incoming_call(
            room.uow,
            room.child(0),
            a_parent(room),
            minutes,
            ended_at=room.clock.now() + timedelta(minutes=ended_minutes_from_now),
        )
    assert room.state() == before


def test_a_caller_who_is_not_this_childs_and_an_unknown_teacher_are_refused(room: Room) -> None:
    before = room.state()
    with pytest.raises(CalleeNotAllowed):
        calls.log_incoming_call(room.uow, room.child(0), a_parent(room, 1), 5)
    with pytest.raises(UnknownStaff):
        calls.log_incoming_call(room.uow, room.child(0), a_parent(room), 5, staff_id=uuid.uuid4())
    assert room.state() == before


def test_an_incoming_call_does_not_hold_the_phone(room: Room) -> None:
    calls.log_incoming_call(room.uow, room.child(0), a_parent(room), 5)
    opened = calls.start_family_call(room.uow, room.child(1), a_parent(room, 1), CallKind.PHONE)
    assert opened.child_id == room.child(1)
