"""One phone, many children: the queue is fair, says where each child stands, calls the next child by
number and given name only, passes a turn nobody takes, and keeps every place across a restart."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db.clock import ManualClock
from db.enums import CallKind, QueueExit
from db.models import QueueEntry
from kiosk.services import call_queue, calls, signin, signout
from kiosk.services import room as room_service
from kiosk.services.call_queue import GoAhead, Waiting
from kiosk.services.database_open import open_database
from kiosk.services.errors import LineBusy, NotYourTurn
from kiosk.services.names import given_name
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def parent(room: Room, n: int) -> uuid.UUID:
    return room.callees(n)[0].id


def on_the_phone(room: Room, n: int) -> calls.OpenCall:
    assert call_queue.ask_for_phone(room.uow, room.child(n)) == GoAhead(called=n in called_children(room))
    return calls.start_family_call(room.uow, room.child(n), parent(room, n), CallKind.PHONE)


def called_children(room: Room) -> set[int]:
    waiting = {e.child_name for e in call_queue.waiting_list(room.uow) if e.called_at is not None}
    return {n for n in range(10) if full_name(room, n) in waiting}


def full_name(room: Room, n: int) -> str:
    from db.models import Child

    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return child.name


def set_rule(room: Room, key: str, value: object) -> None:
    with room.uow:
        save_setting(room.uow.session, key, value)
        room.uow.commit()


@pytest.fixture
def busy(room: Room) -> calls.OpenCall:
    """Child 0 is on the room's one phone."""
    return on_the_phone(room, 0)


def test_a_free_phone_with_nobody_waiting_is_the_childs_at_once(room: Room) -> None:
    before = room.state()
    assert call_queue.ask_for_phone(room.uow, room.child(0)) == GoAhead(called=False)
    assert room.state() == before  # no place taken, nothing recorded


def test_children_who_find_the_phone_busy_take_places_in_order(room: Room, busy: calls.OpenCall) -> None:
    answers = [call_queue.ask_for_phone(room.uow, room.child(n)) for n in (1, 2, 3)]
    assert [(a.place, a.ticket) for a in answers if isinstance(a, Waiting)] == [(1, 1), (2, 2), (3, 3)]
    events = len(room.events())
    again = call_queue.ask_for_phone(room.uow, room.child(2))  # asking twice never moves a child back
    assert isinstance(again, Waiting) and (again.place, again.ticket) == (2, 2)
    assert len(room.events()) == events
    assert [e.payload["ticket"] for e in room.events("queue.joined")] == [1, 2, 3]


def test_nobody_starts_a_phone_call_past_a_waiting_child(room: Room, busy: calls.OpenCall) -> None:
    call_queue.ask_for_phone(room.uow, room.child(1))
    calls.end_family_call(room.uow, busy.call_id)  # child 1 is called now
    before = room.state()
    with pytest.raises(NotYourTurn):
        calls.start_family_call(room.uow, room.child(2), parent(room, 2), CallKind.PHONE)
    assert room.state() == before
    # The computer is another line: a video call is not the phone's queue.
    assert (
        calls.start_family_call(room.uow, room.child(2), parent(room, 2), CallKind.VIDEO).kind
        is CallKind.VIDEO
    )


def test_when_the_call_ends_the_next_child_is_called_by_number_and_given_name(
    room: Room, busy: calls.OpenCall
) -> None:
    for n in (1, 2, 3):
        call_queue.ask_for_phone(room.uow, room.child(n))
    assert call_queue.queue_board(room.uow).called == []
    room.clock.advance(minutes=4)
    calls.end_family_call(room.uow, busy.call_id)
    board = call_queue.queue_board(room.uow)
    [called] = board.called
    assert (called.ticket, called.given_name) == (1, given_name(full_name(room, 1)))
    assert called.given_name != full_name(room, 1)  # the surname stays off the public screen
    assert board.waiting == 2
    assert call_queue.my_place(room.uow, room.child(1)) == GoAhead(called=True)
    assert isinstance(call_queue.my_place(room.uow, room.child(2)), Waiting)

    second = on_the_phone(room, 1)  # their turn: the call starts and the place is used up
    assert call_queue.queue_board(room.uow).called == []
    assert [e.payload["reason"] for e in room.events("queue.left")] == [QueueExit.CALLING.value]
    calls.end_family_call(room.uow, second.call_id)
    assert [c.ticket for c in call_queue.queue_board(room.uow).called] == [2]


def test_a_turn_nobody_takes_passes_to_the_next_child(room: Room, busy: calls.OpenCall) -> None:
    for n in (1, 2):
        call_queue.ask_for_phone(room.uow, room.child(n))
    calls.end_family_call(room.uow, busy.call_id)
    room.clock.advance(minutes=2, seconds=59)
    assert [c.ticket for c in call_queue.queue_board(room.uow).called] == [1]
    room.clock.advance(seconds=1)  # the school's three minutes are up
    assert [c.ticket for c in call_queue.queue_board(room.uow).called] == [2]
    assert call_queue.my_place(room.uow, room.child(1)) is None
    [left] = room.events("queue.left")
    assert left.payload["reason"] == QueueExit.MISSED.value


def test_leaving_the_queue_or_the_room_moves_the_others_up(room: Room, busy: calls.OpenCall) -> None:
    for n in (1, 2, 3):
        room.tap(n)
        call_queue.ask_for_phone(room.uow, room.child(n))
    assert call_queue.leave_queue(room.uow, room.child(1)) is True
    assert call_queue.leave_queue(room.uow, room.child(1)) is False
    room.clock.advance(minutes=1)
    assert signout.sign_out(room.uow, room.child(2)) is not None
    place = call_queue.my_place(room.uow, room.child(3))
    assert isinstance(place, Waiting) and place.place == 1
    assert [e.payload["reason"] for e in room.events("queue.left")] == ["gave_up", "signed_out"]


def test_a_child_waiting_for_the_phone_taps_again_for_their_turn_not_to_leave(
    room: Room, busy: calls.OpenCall
) -> None:
    """The idle screen tells the called child to come back and tap: that tap keeps them in the room."""
    room.tap(1)
    call_queue.ask_for_phone(room.uow, room.child(1))
    room.clock.advance(minutes=5)
    assert isinstance(room.tap(1), signin.StillSignedIn)
    assert isinstance(call_queue.my_place(room.uow, room.child(1)), Waiting)
    call_queue.leave_queue(room.uow, room.child(1))
    room.clock.advance(minutes=1)
    assert isinstance(room.tap(1), signin.AskSignOut)  # no place held: a later tap asks about leaving


def test_closing_the_room_ends_every_place(room: Room, busy: calls.OpenCall) -> None:
    room_service.open_room(room.uow, room.staff())
    for n in (1, 2):
        call_queue.ask_for_phone(room.uow, room.child(n))
    room_service.close_room(room.uow, room.staff())
    assert call_queue.waiting_list(room.uow) == []
    assert call_queue.queue_board(room.uow).called == []


def test_order_is_the_order_of_joining_even_when_the_clock_jumps_back(
    room: Room, busy: calls.OpenCall
) -> None:
    call_queue.ask_for_phone(room.uow, room.child(1))
    room.clock.set_wall(room.clock.now() - timedelta(hours=1))  # the Pi's clock corrected backwards
    call_queue.ask_for_phone(room.uow, room.child(2))
    assert [e.child_name for e in call_queue.waiting_list(room.uow)] == [
        full_name(room, 1),
        full_name(room, 2),
    ]


def test_every_place_survives_a_restart(
    db_path: Path, room: Room, clock: ManualClock, busy: calls.OpenCall
) -> None:
    for n in (1, 2, 3):
        call_queue.ask_for_phone(room.uow, room.child(n))
    room.uow.engine.dispose()
    reopened = open_database(db_path, clock)  # the kiosk restarted
    try:
        places = [call_queue.my_place(reopened, room.child(n)) for n in (1, 2, 3)]
        assert [(p.place, p.ticket) for p in places if isinstance(p, Waiting)] == [(1, 1), (2, 2), (3, 3)]
    finally:
        reopened.engine.dispose()


def test_the_wait_is_a_rough_estimate_from_the_rooms_own_calls(room: Room) -> None:
    for n in range(4):  # the room's recent calls took four minutes each
        opened = on_the_phone(room, n)
        room.clock.advance(minutes=4)
        calls.end_family_call(room.uow, opened.call_id)
    on_the_phone(room, 4)
    room.clock.advance(minutes=1)
    waits = [call_queue.ask_for_phone(room.uow, room.child(n)) for n in (5, 6, 7)]
    assert [w.wait_minutes for w in waits if isinstance(w, Waiting)] == [3, 7, 11]


def test_without_a_queue_a_busy_phone_is_simply_busy(room: Room, busy: calls.OpenCall) -> None:
    set_rule(room, "call_queue", False)
    assert call_queue.ask_for_phone(room.uow, room.child(1)) == GoAhead(called=False)
    with pytest.raises(LineBusy):
        calls.start_family_call(room.uow, room.child(1), parent(room, 1), CallKind.PHONE)
    with room.uow.read() as session:
        assert session.query(QueueEntry).count() == 0


@pytest.mark.parametrize(
    ("full", "given"),
    [
        ("王明明", "明明"),
        ("李明", "明"),
        ("欧阳娜娜", "娜娜"),
        ("Li Ming", "Li"),
        ("买买提江·阿不都热依木", "买买提江"),  # the person's own name, then the father's
        ("阿依古丽•买买提", "阿依古丽"),  # the dot as some rosters type it
    ],
)
def test_given_names(full: str, given: str) -> None:
    assert given_name(full) == given


def test_a_call_left_open_past_the_limit_ends_and_the_next_child_is_called(
    room: Room, busy: calls.OpenCall
) -> None:
    """Nobody pressed 结束通话 (the kiosk restarted mid-call): the idle screen's next look ends the
    call at the limit and calls the first child waiting."""
    call_queue.ask_for_phone(room.uow, room.child(1))
    room.clock.advance(minutes=10)
    board = call_queue.queue_board(room.uow)
    assert [c.ticket for c in board.called] == [1]
    [ended] = room.events("call.ended")
    assert ended.payload["reason"] == "time_limit"
    assert datetime.fromisoformat(ended.payload["ended_at"]) == busy.ends_by
