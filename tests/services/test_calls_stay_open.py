"""A call lives as long as the call: the caller's card brings it back, never a queue place for the
phone she is holding; the duty teacher can end any open call; choosing video leaves the phone queue;
a parent ringing in while the child's own call is open is answered in words; and a call's length is
told in minutes and seconds (a 30-second call is not "0 minutes")."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from db.enums import CallDirection, CallEnd, CallKind, QueueExit
from db.models import FamilyCall, QueueEntry
from kiosk.services import call_queue, calls, open_calls, signin
from kiosk.services.call_queue import GoAhead, OnTheLine, Waiting
from kiosk.services.errors import FinishCallFirst, UnknownStaff
from tests.conftest import Room


def parent(room: Room, n: int) -> uuid.UUID:
    return room.callees(n)[0].id


def phone_call(room: Room, n: int, kind: CallKind = CallKind.PHONE) -> calls.OpenCall:
    room.tap(n)
    return calls.start_family_call(room.uow, room.child(n), parent(room, n), kind)


def queue_exits(room: Room, n: int) -> list[QueueExit | None]:
    with room.uow.read() as session:
        rows = session.query(QueueEntry).filter(QueueEntry.child_id == room.child(n)).all()
        return [row.exit for row in rows]


# -- the caller's own open call ------------------------------------------------------------------------


def test_the_callers_card_brings_back_her_open_call_not_a_sign_out(room: Room) -> None:
    call = phone_call(room, 0)
    room.clock.advance(minutes=4)  # long past the repeat-tap window: a tap would ask about leaving
    before = room.state()
    result = room.tap(0)
    assert isinstance(result, signin.BackToCall)
    assert result.call == call  # the same call, its number to dial and its time limit
    assert room.state() == before  # nothing written: she is still on the phone


def test_asking_for_the_phone_she_is_holding_is_her_own_call_not_a_queue_place(room: Room) -> None:
    call = phone_call(room, 0)
    room.clock.advance(minutes=2)
    answer = call_queue.ask_for_phone(room.uow, room.child(0))
    assert answer == OnTheLine(call)
    assert call_queue.waiting_list(room.uow) == []
    assert call_queue.my_place(room.uow, room.child(0)) is None


def test_a_child_on_a_video_call_is_on_her_line_too(room: Room) -> None:
    call = phone_call(room, 0, CallKind.VIDEO)
    assert open_calls.open_call_of(room.uow, room.child(0)) == call
    assert call_queue.ask_for_phone(room.uow, room.child(0)) == OnTheLine(call)


def test_no_open_call_no_call_to_bring_back(room: Room) -> None:
    call = phone_call(room, 0)
    calls.end_family_call(room.uow, call.call_id)
    assert open_calls.open_call_of(room.uow, room.child(0)) is None
    assert call_queue.ask_for_phone(room.uow, room.child(0)) == GoAhead(called=False)


# -- the duty teacher ----------------------------------------------------------------------------------


def test_the_duty_teacher_ends_a_call_left_open_and_the_next_child_is_called(room: Room) -> None:
    call = phone_call(room, 0)
    room.tap(1)
    assert isinstance(call_queue.ask_for_phone(room.uow, room.child(1)), Waiting)
    room.clock.advance(minutes=3, seconds=12)
    [line] = open_calls.open_calls(room.uow)
    assert (line.call_id, line.kind, line.started_at) == (call.call_id, CallKind.PHONE, call.started_at)
    closed = calls.end_call_by_staff(room.uow, room.staff(), call.call_id)
    assert (closed.seconds, closed.reason) == (192, CallEnd.CLOSED_BY_STAFF)
    assert open_calls.open_calls(room.uow) == []
    [ended] = room.events("call.ended")
    assert ended.payload["reason"] == "closed_by_staff"
    assert call_queue.ask_for_phone(room.uow, room.child(1)) == GoAhead(called=True)


def test_only_staff_end_another_childs_call(room: Room) -> None:
    call = phone_call(room, 0)
    before = room.state()
    with pytest.raises(UnknownStaff):
        calls.end_call_by_staff(room.uow, uuid.uuid4(), call.call_id)
    assert room.state() == before


# -- video instead of waiting ----------------------------------------------------------------------------


def test_video_instead_of_waiting_gives_the_phone_place_up_for_good(room: Room) -> None:
    busy = phone_call(room, 0)
    room.tap(1)
    room.tap(2)
    assert isinstance(call_queue.ask_for_phone(room.uow, room.child(1)), Waiting)
    assert isinstance(call_queue.ask_for_phone(room.uow, room.child(2)), Waiting)

    video = calls.start_family_call(room.uow, room.child(1), parent(room, 1), CallKind.VIDEO)
    assert queue_exits(room, 1) == [QueueExit.VIDEO_INSTEAD]
    [left] = room.events("queue.left")
    assert left.payload["reason"] == "video_instead"
    assert [line.child_name for line in call_queue.waiting_list(room.uow)] != []
    assert call_queue.my_place(room.uow, room.child(1)) is None

    room.clock.advance(minutes=5)
    calls.end_family_call(room.uow, video.call_id)
    calls.end_family_call(room.uow, busy.call_id)  # the phone is free: child 2 is called, not child 1
    board = call_queue.queue_board(room.uow)
    assert [c.ticket for c in board.called] == [2]
    assert call_queue.my_place(room.uow, room.child(1)) is None


# -- a parent rings in while the child's own call is open ---------------------------------------------


def test_logging_a_call_in_while_her_own_call_is_open_is_answered_in_words(room: Room) -> None:
    phone_call(room, 0, CallKind.VIDEO)
    before = room.state()
    with pytest.raises(FinishCallFirst) as refused:
        calls.log_incoming_call(room.uow, room.child(0), parent(room, 0), 5)
    assert refused.value.params == {"kind": "video"}
    assert room.state() == before


def test_the_teacher_logs_a_call_in_for_a_child_whose_video_call_is_still_open(room: Room) -> None:
    """The teacher knows what happened: the parent rang the hotline earlier; it is a finished call of
    its own and sits beside the open one (never an IntegrityError)."""
    video = phone_call(room, 0, CallKind.VIDEO)
    call_id = calls.log_incoming_call(room.uow, room.child(0), parent(room, 0), 5, staff_id=room.staff())
    with room.uow.read() as session:
        row = session.get(FamilyCall, call_id)
        assert row is not None and row.direction is CallDirection.INCOMING and row.ended_at is not None
    assert open_calls.open_call_of(room.uow, room.child(0)) == video


# -- minutes and seconds -----------------------------------------------------------------------------


def test_a_thirty_second_call_lasts_thirty_seconds(room: Room) -> None:
    call = phone_call(room, 0)
    room.clock.advance(seconds=30)
    closed = calls.end_family_call(room.uow, call.call_id)
    assert closed.seconds == 30


def test_a_call_ended_at_the_limit_lasts_exactly_the_limit(room: Room) -> None:
    call = phone_call(room, 0)
    room.clock.advance(minutes=10, seconds=40)  # the guard fired late (a busy kiosk)
    closed = calls.end_family_call(room.uow, call.call_id, CallEnd.TIME_LIMIT)
    assert closed.seconds == 600
    assert call.ends_by - call.started_at == timedelta(minutes=10)
