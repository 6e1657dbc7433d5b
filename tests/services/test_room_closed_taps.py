"""未开门: what a child's tap means while the room is closed is the school's choice. Some rooms let the
children sign in and borrow on their own (the default, as before); others want a teacher to have
opened the room first (开门), so the opening record the rules ask for is true. The idle screen then
says the same thing the tap does."""

from __future__ import annotations

from kiosk.services import room as room_service
from kiosk.services import signin
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def closed_means_closed(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "children_use_while_closed", False)
        room.uow.commit()


def test_by_default_children_may_use_the_kiosk_while_the_room_is_closed(room: Room) -> None:
    status = room_service.room_status(room.uow)
    assert not status.is_open and status.children_may_use
    assert isinstance(room.tap(0), signin.SignedIn)


def test_a_school_that_wants_the_room_opened_first_is_answered_at_the_tap(room: Room) -> None:
    closed_means_closed(room)
    status = room_service.room_status(room.uow)
    assert not status.is_open and not status.children_may_use
    before = room.state()
    result = room.tap(0)
    assert isinstance(result, signin.RoomClosedTapped)
    assert room.state() == before  # nobody signed in, nothing to sync


def test_the_teachers_card_still_works_so_she_can_open_the_room(room: Room) -> None:
    closed_means_closed(room)
    assert isinstance(signin.tap_card(room.uow, room.staff_card(0)), signin.StaffCardTapped)
    room_service.open_room(room.uow, room.staff())
    assert room_service.room_status(room.uow).children_may_use
    assert isinstance(room.tap(0), signin.SignedIn)
