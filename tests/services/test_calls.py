from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from db.enums import CallEnd, CallKind, CallReason, Relation
from db.models import Contact, FamilyCall
from kiosk.services import calls
from kiosk.services.errors import (
    CallAlreadyEnded,
    CallAlreadyOpen,
    CalleeNotAllowed,
    LineBusy,
    UnknownCall,
    UnknownChild,
)
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def first_callee(room: Room, n: int = 0) -> uuid.UUID:
    return calls.callees_for(room.uow, room.child(n))[0].contact_id


def test_call_is_logged_before_the_number_is_shown(room: Room) -> None:
    opened = calls.start_family_call(
        room.uow, room.child(), first_callee(room), CallKind.PHONE, CallReason.MISS_FAMILY
    )
    # By the time the number to dial exists, the call is already in the database and the outbox.
    with room.uow.read() as session:
        row = session.get(FamilyCall, opened.call_id)
        assert row is not None and row.ended_at is None and row.reason is CallReason.MISS_FAMILY
        assert session.get(Contact, row.callee_id).phone == opened.number_to_dial
    [event] = room.events("call.started")
    assert event.payload["call_id"] == str(opened.call_id)
    assert opened.number_to_dial not in str(event.payload)  # numbers never travel in events


def test_callee_list_shows_relations_and_only_the_last_digits(room: Room) -> None:
    choices = calls.callees_for(room.uow, room.child())
    assert choices, "every demo child has someone to call"
    assert all(len(c.phone_tail) == 4 for c in choices)
    relations = [c.relation for c in choices]
    assert relations == sorted(relations, key=list(Relation).index)


def test_callee_not_allowed_is_refused_and_nothing_written(room: Room) -> None:
    callee = first_callee(room)
    with room.uow:
        room.uow.session.get(Contact, callee).allowed_to_call = False
        room.uow.commit()
    before = room.state()
    with pytest.raises(CalleeNotAllowed):
        calls.start_family_call(room.uow, room.child(), callee, CallKind.PHONE)
    assert room.state() == before
    assert callee not in [c.contact_id for c in calls.callees_for(room.uow, room.child())]


def test_someone_elses_parent_is_not_an_allowed_callee(room: Room) -> None:
    before = room.state()
    with pytest.raises(CalleeNotAllowed):
        calls.start_family_call(room.uow, room.child(0), first_callee(room, 1), CallKind.PHONE)
    assert room.state() == before


def test_unknown_child_is_refused(room: Room) -> None:
    with pytest.raises(UnknownChild):
        calls.start_family_call(room.uow, uuid.uuid4(), first_callee(room), CallKind.PHONE)


def test_end_call_records_the_end_once(room: Room) -> None:
    opened = calls.start_family_call(room.uow, room.child(), first_callee(room), CallKind.VIDEO)
    room.clock.advance(minutes=4)
    closed = calls.end_family_call(room.uow, opened.call_id)
    assert closed.seconds == 4 * 60 and closed.reason is CallEnd.HUNG_UP
    before = room.state()
    with pytest.raises(CallAlreadyEnded):
        calls.end_family_call(room.uow, opened.call_id)
    assert room.state() == before
    assert [e.type for e in room.events()] == ["call.started", "call.ended"]


def test_ending_an_unknown_call_is_refused(room: Room) -> None:
    with pytest.raises(UnknownCall):
        calls.end_family_call(room.uow, uuid.uuid4())


def test_one_open_call_per_child(room: Room) -> None:
    calls.start_family_call(room.uow, room.child(), first_callee(room), CallKind.PHONE)
    with pytest.raises(CallAlreadyOpen):
        calls.start_family_call(room.uow, room.child(), first_callee(room), CallKind.VIDEO)


def test_the_rooms_one_phone_is_busy_for_the_next_child(room: Room) -> None:
    calls.start_family_call(room.uow, room.child(0), first_callee(room, 0), CallKind.PHONE)
    with pytest.raises(LineBusy) as refused:
        calls.start_family_call(room.uow, room.child(1), first_callee(room, 1), CallKind.PHONE)
    assert refused.value.params == {"kind": "phone"}
    # the computer with the camera is a separate line
    calls.start_family_call(room.uow, room.child(1), first_callee(room, 1), CallKind.VIDEO)


def test_rooms_with_two_phones_take_two_calls(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "phones_in_room", 2)
        room.uow.commit()
    calls.start_family_call(room.uow, room.child(0), first_callee(room, 0), CallKind.PHONE)
    calls.start_family_call(room.uow, room.child(1), first_callee(room, 1), CallKind.PHONE)


def test_call_left_open_past_the_limit_is_closed_at_the_limit(room: Room) -> None:
    opened = calls.start_family_call(room.uow, room.child(0), first_callee(room, 0), CallKind.PHONE)
    room.clock.advance(minutes=25)  # the child walked away; the limit is 10 minutes
    calls.start_family_call(room.uow, room.child(1), first_callee(room, 1), CallKind.PHONE)
    with room.uow.read() as session:
        first = session.get(FamilyCall, opened.call_id)
        assert first.end_reason is CallEnd.TIME_LIMIT
        assert first.ended_at == opened.started_at + timedelta(minutes=10)


def test_time_limit_end_from_the_screen_timer(room: Room) -> None:
    opened = calls.start_family_call(room.uow, room.child(), first_callee(room), CallKind.PHONE)
    room.clock.advance(minutes=10, seconds=2)
    closed = calls.end_family_call(room.uow, opened.call_id, CallEnd.TIME_LIMIT)
    assert closed.seconds == 10 * 60 and closed.reason is CallEnd.TIME_LIMIT
