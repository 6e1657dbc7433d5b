"""What a child's own screen offers after the tap: the room's choices for today (a school may limit
them by weekday: 周一 图书室, 周三 电脑室 …), the showing to join if one is on, this child's place in
the phone queue, and whether she is due a family call — hers only, on her own screen.

The call reminder is a mark on her 亲情电话 tile, not a sentence: anyone standing near can read the
screen, and who has not called home is never shown to them (不歧视). Its words ("今天给妈妈打个电话
吧", named from the people she may call) are shown once she taps the tile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from db.enums import ChildMenuItem, Relation
from kiosk.services import call_queue, showings
from kiosk.services.call_queue import PhoneAnswer
from kiosk.services.contact_due import callees_to_remind, is_contact_due, last_contact_at
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
    remind_to_call: tuple[Relation, ...] = ()  # due a family call: whom to name; () no mark at all


def offered_on(settings: RoomSettings, isoweekday: int) -> tuple[ChildMenuItem, ...]:
    """A weekday the school did not limit offers everything."""
    chosen = settings.weekday_menus.get(isoweekday)
    return tuple(ChildMenuItem) if chosen is None else tuple(i for i in ChildMenuItem if i in chosen)


def menu_for(uow: UnitOfWork, child_id: uuid.UUID) -> ChildMenu:
    with uow.read() as session:
        settings = load_settings(session)
        now = uow.clock.now()
        today = local_date(now, settings.zone)
        due = settings.remind_contact_due and is_contact_due(
            last_contact_at(session, child_id), now, settings
        )
        remind_to_call = callees_to_remind(session, child_id) if due else ()
    showing = showings.showing_now(uow)
    watching = showing is not None and showings.watching(uow, child_id, showing.showing_id)
    return ChildMenu(
        offered_on(settings, today.isoweekday()),
        showing,
        watching,
        call_queue.my_place(uow, child_id),
        remind_to_call,
    )
