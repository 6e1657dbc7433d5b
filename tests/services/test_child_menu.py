"""The child's own menu: a school may limit it by weekday; a showing on is offered; the child's own place
in the phone queue is shown to them (and only to them)."""

from __future__ import annotations

from datetime import timedelta

from db.enums import CallKind, ChildMenuItem, ShowingMedium
from kiosk.services import call_queue, calls, showings
from kiosk.services.call_queue import Waiting
from kiosk.services.child_menu import menu_for
from kiosk.services.room_settings import save_setting
from tests.conftest import Room

MONDAY = 1  # the suite's day (tests.conftest.START)


def limit(room: Room, menus: dict[int, list[str]]) -> None:
    with room.uow:
        save_setting(room.uow.session, "weekday_menus", menus)
        room.uow.commit()


def test_every_choice_is_offered_unless_the_school_limits_the_day(room: Room) -> None:
    assert menu_for(room.uow, room.child(0)).offered == tuple(ChildMenuItem)
    limit(room, {MONDAY: ["books"], 3: ["call", "equipment"]})
    assert menu_for(room.uow, room.child(0)).offered == (ChildMenuItem.BOOKS,)  # 周一 图书室
    room.clock.advance(days=1)  # Tuesday is not limited
    assert menu_for(room.uow, room.child(0)).offered == tuple(ChildMenuItem)
    room.clock.advance(days=1)
    assert menu_for(room.uow, room.child(0)).offered == (ChildMenuItem.CALL, ChildMenuItem.EQUIPMENT)


def test_a_showing_on_is_offered_until_the_child_has_joined(room: Room) -> None:
    assert menu_for(room.uow, room.child(0)).showing is None
    showing = showings.open_showing(room.uow, room.staff(), ShowingMedium.VCD, "动画片")
    menu = menu_for(room.uow, room.child(0))
    assert menu.showing is not None and menu.showing.content == "动画片" and not menu.watching
    showings.join_showing(room.uow, room.child(0), showing)
    assert menu_for(room.uow, room.child(0)).watching
    assert not menu_for(room.uow, room.child(1)).watching


def test_the_childs_own_place_in_the_queue(room: Room) -> None:
    calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    call_queue.ask_for_phone(room.uow, room.child(1))
    room.clock.advance(timedelta(minutes=1))
    mine = menu_for(room.uow, room.child(1)).phone
    assert isinstance(mine, Waiting) and mine.place == 1
    assert menu_for(room.uow, room.child(2)).phone is None
