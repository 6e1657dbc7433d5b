from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.enums import CallEnd, CallKind, VisitEnd
from db.models import FamilyCall, Visit
from kiosk.services import calls, staff
from kiosk.services import room as room_service
from kiosk.services.errors import PinLocked, RoomAlreadyOpen, RoomNotOpen, UnknownStaff, WrongPin
from tests.conftest import Room

PIN = "2468"


def test_right_pin_logs_the_administrator_in(room: Room) -> None:
    session = staff.verify_staff_pin(room.uow, room.staff(), PIN)
    assert session.staff_id == room.staff()


def test_wrong_pins_count_down_then_lock_out(room: Room) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as refused:
            staff.verify_staff_pin(room.uow, room.staff(), "0000")
        assert refused.value.params == {"attempts_left": left}
    with pytest.raises(PinLocked):
        staff.verify_staff_pin(room.uow, room.staff(), "0000")
    with pytest.raises(PinLocked):  # even the right PIN waits out the lockout
        staff.verify_staff_pin(room.uow, room.staff(), PIN)
    room.clock.advance(minutes=6)
    assert staff.verify_staff_pin(room.uow, room.staff(), PIN).staff_id == room.staff()


def test_success_resets_the_wrong_pin_count(room: Room) -> None:
    for _ in range(3):
        with pytest.raises(WrongPin):
            staff.verify_staff_pin(room.uow, room.staff(), "1111")
    staff.verify_staff_pin(room.uow, room.staff(), PIN)
    with pytest.raises(WrongPin) as refused:
        staff.verify_staff_pin(room.uow, room.staff(), "1111")
    assert refused.value.params == {"attempts_left": 4}


def test_pin_is_stored_hashed(room: Room) -> None:
    state = room.state()
    assert not any(PIN in repr(row) for row in state["staff"])


def test_unknown_staff_is_refused(room: Room) -> None:
    import uuid

    with pytest.raises(UnknownStaff):
        staff.verify_staff_pin(room.uow, uuid.uuid4(), PIN)


def test_open_and_close_the_room_records_the_minutes(room: Room) -> None:
    room_service.open_room(room.uow, room.staff())
    assert room_service.room_status(room.uow).is_open
    with pytest.raises(RoomAlreadyOpen):
        room_service.open_room(room.uow, room.staff(1))
    room.clock.advance(minutes=70)
    summary = room_service.close_room(room.uow, room.staff(1))
    assert summary.minutes_open == 70
    with pytest.raises(RoomNotOpen):
        room_service.close_room(room.uow, room.staff())
    today = date(2026, 11, 23)
    assert room_service.opening_minutes_by_day(room.uow, today, today) == {today: 70}
    assert [e.type for e in room.events()] == ["room.opened", "room.closed"]


def test_closing_signs_out_children_still_inside_and_ends_open_calls(room: Room) -> None:
    room_service.open_room(room.uow, room.staff())
    room.tap(0)
    room.tap(1)
    callee = calls.callees_for(room.uow, room.child(1))[0].contact_id
    opened = calls.start_family_call(room.uow, room.child(1), callee, CallKind.PHONE)
    room.clock.advance(minutes=5)
    summary = room_service.close_room(room.uow, room.staff())
    assert (summary.visits_closed, summary.calls_closed) == (2, 1)
    with room.uow.read() as session:
        assert {v.end_reason for v in session.query(Visit)} == {VisitEnd.ROOM_CLOSED}
        assert session.get(FamilyCall, opened.call_id).end_reason is CallEnd.CLOSED_BY_STAFF


def test_opening_minutes_split_over_midnight(room: Room) -> None:
    room.clock.advance(hours=8)  # 23:30 local
    room_service.open_room(room.uow, room.staff())
    room.clock.advance(hours=1)
    room_service.close_room(room.uow, room.staff())
    first = date(2026, 11, 23)
    minutes = room_service.opening_minutes_by_day(room.uow, first, first + timedelta(days=1))
    assert minutes == {first: 30, first + timedelta(days=1): 30}


def test_idle_screen_shows_todays_theme_from_the_weekly_schedule(room: Room) -> None:
    assert room_service.room_status(room.uow).todays_theme == "图书室开放"  # a Monday
    room.clock.advance(days=5)  # Saturday: nothing scheduled
    assert room_service.room_status(room.uow).todays_theme is None
