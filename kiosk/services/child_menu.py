"""What a child's own screen offers after the tap: the room's choices for today (a school may limit
them by weekday: 周一 图书室, 周三 电脑室 …), the showing to join if one is on, and this child's place
in the phone queue — theirs only, on their own screen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from db.enums import ChildMenuItem
from kiosk.services import call_queue, showings
from kiosk.services.call_queue import PhoneAnswer
from kiosk.services.days import local_date
from kiosk.services.room_settings import RoomSettings, load_settings
from kiosk.services.showings import OpenShowing
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ChildMenu:
    offered: tuple[ChildMenuItem, ...]
    showing: OpenShowing | None
    watching: bool  # this child already joined the showing
    phone: PhoneAnswer | None  # this child's place in the phone queue, if they hold one


def offered_on(settings: RoomSettings, isoweekday: int) -> tuple[ChildMenuItem, ...]:
    """A weekday the school did not limit offers everything."""
    chosen = settings.weekday_menus.get(isoweekday)
    return tuple(ChildMenuItem) if chosen is None else tuple(i for i in ChildMenuItem if i in chosen)


def menu_for(uow: UnitOfWork, child_id: uuid.UUID) -> ChildMenu:
    with uow.read() as session:
        settings = load_settings(session)
        today = local_date(uow.clock.now(), settings.zone)
    showing = showings.showing_now(uow)
    watching = showing is not None and showings.watching(uow, child_id, showing.showing_id)
    return ChildMenu(
        offered_on(settings, today.isoweekday()), showing, watching, call_queue.my_place(uow, child_id)
    )
