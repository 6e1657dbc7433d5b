"""签到 / 签退: what a card tap at the idle screen means.

A tap is a normal event whatever card it is, so the outcome is a result to show, not an exception:
an unknown card, a lost card and a staff card are all things the screen must say something about.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from db.card_uid import normalise_uid
from db.enums import CardStatus, QueueExit, Relation, VisitEnd
from db.ids import time_ordered_id
from db.models import Card, Child, Staff, Visit
from kiosk.services import call_queue
from kiosk.services.contact_due import callees_to_remind, is_contact_due, last_contact_at
from kiosk.services.days import is_birthday, local_date
from kiosk.services.open_calls import OpenCall, open_call_in
from kiosk.services.room import room_is_open
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ChildSummary:
    id: uuid.UUID
    name: str
    class_name: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    child: ChildSummary
    visit_id: uuid.UUID
    birthday_today: bool  # 生日快乐 on this child's screen only
    contact_due: bool  # a gentle reminder for this child only, never on a public list
    remind_to_call: tuple[Relation, ...] = ()  # whom the reminder names (contact_due.callees_to_remind)


@dataclass(frozen=True, slots=True)
class SignedOut:
    child: ChildSummary
    visit_id: uuid.UUID
    minutes: int


@dataclass(frozen=True, slots=True)
class StillSignedIn:
    """The child is already in the room (a quick second tap, or the school turned tap-to-sign-out off)."""

    child: ChildSummary
    visit_id: uuid.UUID
    contact_due: bool
    remind_to_call: tuple[Relation, ...] = ()


@dataclass(frozen=True, slots=True)
class AskSignOut:
    """A later tap of a child already in the room: is she leaving? Her screen asks (要签退吗？) and signs
    her out only on 是 (kiosk.services.signout), so a tap meant for the menu never ends her visit."""

    child: ChildSummary
    visit_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class BackToCall:
    """The child's own call is still open: her tap brings it back (结束通话 is on it), nothing else."""

    child: ChildSummary
    call: OpenCall


@dataclass(frozen=True, slots=True)
class RoomClosedTapped:
    """未开门, and the school wants a teacher to open the room before children use the kiosk."""

    child: ChildSummary


@dataclass(frozen=True, slots=True)
class StaffCardTapped:
    staff_id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class UnknownCardTapped:
    uid: str


@dataclass(frozen=True, slots=True)
class InactiveCardTapped:
    """A card reported lost or retired, or a child no longer on the room's roster."""

    uid: str
    status: str


TapResult = (
    SignedIn
    | SignedOut
    | StillSignedIn
    | AskSignOut
    | BackToCall
    | RoomClosedTapped
    | StaffCardTapped
    | UnknownCardTapped
    | InactiveCardTapped
)


def tap_card(uow: UnitOfWork, raw_uid: str) -> TapResult:
    """Sign the card's child in; a later tap asks whether she is leaving, and a tap seconds after
    signing in changes nothing. Her open call comes back before anything else; a closed room answers
    first if the school wants it opened before children use the kiosk."""
    try:
        uid = normalise_uid(raw_uid)
    except ValueError:
        return UnknownCardTapped(uid=raw_uid.strip()[:32])
    with uow:
        session = uow.session
        card = session.get(Card, uid)
        if card is None:
            return UnknownCardTapped(uid=uid)
        if card.status is not CardStatus.ACTIVE:
            return InactiveCardTapped(uid=uid, status=card.status.value)
        if card.staff_id is not None:
            staff = session.get(Staff, card.staff_id)
            if staff is None or not staff.active:
                return InactiveCardTapped(uid=uid, status="staff_inactive")
            return StaffCardTapped(staff_id=staff.id, name=staff.name)
        assert card.child_id is not None
        child = session.get(Child, card.child_id)
        if child is None or not child.active:
            return InactiveCardTapped(uid=uid, status="child_inactive")

        settings = uow.settings
        now = uow.clock.now()
        summary = ChildSummary(child.id, child.name, child.class_name)
        on_the_line = open_call_in(session, child.id, now)
        if on_the_line is not None:
            return BackToCall(summary, on_the_line)
        if not settings.children_use_while_closed and not room_is_open(session):
            return RoomClosedTapped(summary)
        last_contact = last_contact_at(session, child.id)
        due = settings.remind_contact_due and is_contact_due(last_contact, now, settings)
        remind_to_call = callees_to_remind(session, child.id) if due else ()
        contact_due = bool(remind_to_call)
        visit = _open_visit(uow, child.id, now)
        if visit is not None:
            # A child waiting for the phone taps again to take their turn (the idle screen said so):
            # that is not leaving the room. They sign out with the 签退 button, which gives the place up.
            waiting = call_queue.holds_place(uow, child.id)
            uow.commit()  # may have closed yesterday's forgotten visit
            if _is_repeat_tap(uow, visit, now) or not settings.second_tap_signs_out or waiting:
                return StillSignedIn(summary, visit.id, contact_due, remind_to_call)
            return AskSignOut(summary, visit.id)

        visit = Visit(
            id=time_ordered_id(),
            child_id=child.id,
            signed_in_at=now,
            boot_id=uow.clock.boot_id,
            monotonic_ns=uow.clock.monotonic_ns(),
        )
        session.add(visit)
        uow.record(visit.signed_in_event(uid))
        uow.commit()
        return SignedIn(
            summary,
            visit.id,
            birthday_today=is_birthday(child.birthday, local_date(now, settings.zone)),
            contact_due=contact_due,
            remind_to_call=remind_to_call,
        )


def sign_out_visit(uow: UnitOfWork, visit: Visit, now: datetime) -> None:
    """Within the caller's transaction: the child leaves the room, and with it any place they held in
    the phone queue (the children behind move up rather than wait for someone who has gone)."""
    visit.signed_out_at = now
    visit.end_reason = VisitEnd.SIGNED_OUT
    uow.record(visit.signed_out_event())
    if call_queue.leave(uow, visit.child_id, now, QueueExit.SIGNED_OUT):
        call_queue.advance(uow, now)


def _open_visit(uow: UnitOfWork, child_id: uuid.UUID, now: datetime) -> Visit | None:
    """Today's open visit; one left open on an earlier day is closed as "not signed out" first."""
    visit = uow.session.scalar(select(Visit).where(Visit.child_id == child_id, Visit.end_reason.is_(None)))
    if visit is None:
        return None
    zone = uow.settings.zone
    if local_date(visit.signed_in_at, zone) != local_date(now, zone):
        visit.end_reason = VisitEnd.NOT_SIGNED_OUT
        uow.record(visit.signed_out_event())
        uow.session.flush()
        return None
    return visit


def _is_repeat_tap(uow: UnitOfWork, visit: Visit, now: datetime) -> bool:
    """Within one boot the monotonic clock decides; across a reboot only the wall clock is left."""
    window = timedelta(seconds=uow.settings.repeat_tap_seconds)
    if visit.boot_id == uow.clock.boot_id:
        return uow.clock.monotonic_ns() - visit.monotonic_ns < window.total_seconds() * 1e9
    return timedelta(0) <= now - visit.signed_in_at < window
