"""The duty teacher manages the phone queue from the administrator's pages: calls the next child when
the one called does not come, moves a child up or down (a little one who must catch the bus), and
takes a child out of it. Every change is an event the office sees, with who made it."""

from __future__ import annotations

import uuid

import pytest

from db.enums import CallKind, QueueExit
from db.models import Child, QueueEntry
from kiosk.services import call_queue, calls, queue_by_teacher
from kiosk.services.call_queue import GoAhead, Waiting
from kiosk.services.errors import NobodyWaiting, PhoneInUse, UnknownPlace, UnknownStaff
from tests.conftest import Room


def name(room: Room, n: int) -> str:
    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return child.name


def order(room: Room) -> list[str]:
    return [line.child_name for line in call_queue.waiting_list(room.uow)]


def entry_of(room: Room, n: int) -> uuid.UUID:
    [line] = [line for line in call_queue.waiting_list(room.uow) if line.child_name == name(room, n)]
    return line.entry_id


@pytest.fixture
def queued(room: Room) -> calls.OpenCall:
    """Child 0 is on the phone; children 1, 2 and 3 wait in that order."""
    room.tap(0)
    call = calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    for n in (1, 2, 3):
        room.tap(n)
        assert isinstance(call_queue.ask_for_phone(room.uow, room.child(n)), Waiting)
    return call


def test_moving_a_child_up_and_down_the_queue(room: Room, queued: calls.OpenCall) -> None:
    queue_by_teacher.move(room.uow, room.staff(), entry_of(room, 3), up=True)
    assert order(room) == [name(room, n) for n in (1, 3, 2)]
    place = call_queue.ask_for_phone(room.uow, room.child(3))
    assert isinstance(place, Waiting) and place.place == 2 and place.ticket == 3  # the ticket stays
    queue_by_teacher.move(room.uow, room.staff(), entry_of(room, 1), up=False)
    assert order(room) == [name(room, n) for n in (3, 1, 2)]
    moves = room.events("queue.moved")
    assert [m.payload["staff_id"] for m in moves] == [str(room.staff())] * 2


def test_the_first_child_cannot_move_further_up_nor_the_last_further_down(
    room: Room, queued: calls.OpenCall
) -> None:
    before = room.state()
    assert queue_by_teacher.move(room.uow, room.staff(), entry_of(room, 1), up=True) is False
    assert queue_by_teacher.move(room.uow, room.staff(), entry_of(room, 3), up=False) is False
    assert room.state() == before


def test_a_child_taken_out_of_the_queue_is_never_called(room: Room, queued: calls.OpenCall) -> None:
    queue_by_teacher.remove(room.uow, room.staff(), entry_of(room, 1))
    assert order(room) == [name(room, n) for n in (2, 3)]
    [left] = room.events("queue.left")
    assert left.payload["reason"] == QueueExit.REMOVED.value
    assert left.payload["staff_id"] == str(room.staff())
    calls.end_family_call(room.uow, queued.call_id)
    assert [c.ticket for c in call_queue.queue_board(room.uow).called] == [2]


def test_calling_the_next_child_passes_the_turn_of_one_who_did_not_come(
    room: Room, queued: calls.OpenCall
) -> None:
    calls.end_family_call(room.uow, queued.call_id)
    assert [c.ticket for c in call_queue.queue_board(room.uow).called] == [1]
    board = queue_by_teacher.call_next(room.uow, room.staff())
    assert [c.ticket for c in board.called] == [2]
    with room.uow.read() as session:
        first = session.query(QueueEntry).filter(QueueEntry.child_id == room.child(1)).one()
        assert first.exit is QueueExit.MISSED
    assert call_queue.ask_for_phone(room.uow, room.child(2)) == GoAhead(called=True)


def test_calling_the_next_child_while_the_phone_is_in_use_says_so(room: Room, queued: calls.OpenCall) -> None:
    before = room.state()
    with pytest.raises(PhoneInUse):
        queue_by_teacher.call_next(room.uow, room.staff())
    assert room.state() == before


def test_calling_the_next_child_with_nobody_waiting_says_so(room: Room) -> None:
    with pytest.raises(NobodyWaiting):
        queue_by_teacher.call_next(room.uow, room.staff())


def test_only_staff_manage_the_queue_and_only_places_that_are_held(
    room: Room, queued: calls.OpenCall
) -> None:
    before = room.state()
    with pytest.raises(UnknownStaff):
        queue_by_teacher.remove(room.uow, uuid.uuid4(), entry_of(room, 1))
    with pytest.raises(UnknownPlace):
        queue_by_teacher.remove(room.uow, room.staff(), uuid.uuid4())
    with pytest.raises(UnknownStaff):
        queue_by_teacher.move(room.uow, uuid.uuid4(), entry_of(room, 2), up=True)
    assert room.state() == before
