"""Opening and closing the room; the sessions are the record the rules ask for:
管理员负责每天“留守儿童之家”开放时间不得少于1小时.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import CallEnd, VisitEnd
from db.ids import time_ordered_id
from db.models import FamilyCall, RoomSession, Visit
from kiosk.services import call_queue, showings
from kiosk.services.call_ends import end_expired_calls
from kiosk.services.days import day_bounds, local_date
from kiosk.services.errors import RoomAlreadyOpen, RoomNotOpen
from kiosk.services.lookups import require_staff
from kiosk.services.room_settings import load_settings
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RoomStatus:
    is_open: bool
    opened_at: datetime | None
    todays_theme: str | None  # from the weekly schedule, e.g. 图书室开放
    children_may_use: bool = True  # open, or the school lets children use the kiosk while it is closed


@dataclass(frozen=True, slots=True)
class RoomClosedSummary:
    session_id: uuid.UUID
    minutes_open: int
    visits_closed: int  # children still signed in when the room closed
    calls_closed: int


def open_room(uow: UnitOfWork, staff_id: uuid.UUID) -> uuid.UUID:
    with uow:
        require_staff(uow.session, staff_id)
        if _current_session(uow) is not None:
            raise RoomAlreadyOpen()
        session_row = RoomSession(id=time_ordered_id(), opened_at=uow.clock.now(), opened_by=staff_id)
        uow.session.add(session_row)
        uow.record(session_row.opened_event())
        uow.commit()
        return session_row.id


def close_room(uow: UnitOfWork, staff_id: uuid.UUID) -> RoomClosedSummary:
    """Closing signs out whoever is still in, ends any call left open, every place in the phone queue
    and the showing, so nothing dangles overnight (nobody is left called on tomorrow's idle screen)."""
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        current = _current_session(uow)
        if current is None:
            raise RoomNotOpen()
        now = uow.clock.now()
        zone = uow.settings.zone
        visits = session.scalars(select(Visit).where(Visit.end_reason.is_(None))).all()
        for visit in visits:
            # Someone still in from an earlier day never signed out; when they left is unknown.
            same_day = local_date(visit.signed_in_at, zone) == local_date(now, zone)
            visit.signed_out_at = now if same_day else None
            visit.end_reason = VisitEnd.ROOM_CLOSED if same_day else VisitEnd.NOT_SIGNED_OUT
            uow.record(visit.signed_out_event())
        end_expired_calls(uow, now)
        calls = session.scalars(select(FamilyCall).where(FamilyCall.ended_at.is_(None))).all()
        for call in calls:
            call.ended_at = now
            call.end_reason = CallEnd.CLOSED_BY_STAFF
            uow.record(call.ended_event())
        call_queue.close_all(uow, now)
        showing = showings.current(uow)
        if showing is not None:
            showings.close(uow, showing, staff_id, now)
        current.closed_at = now
        current.closed_by = staff_id
        uow.record(current.closed_event())
        uow.commit()
        return RoomClosedSummary(
            current.id, int((now - current.opened_at).total_seconds() // 60), len(visits), len(calls)
        )


def room_status(uow: UnitOfWork) -> RoomStatus:
    with uow.read() as session:
        settings = load_settings(session)
        current = session.scalar(select(RoomSession).where(RoomSession.closed_at.is_(None)))
        today = local_date(uow.clock.now(), settings.zone)
        return RoomStatus(
            is_open=current is not None,
            opened_at=current.opened_at if current else None,
            todays_theme=settings.weekly_schedule.get(today.isoweekday()),
            children_may_use=current is not None or settings.children_use_while_closed,
        )


def room_is_open(session: Session) -> bool:
    """Whether a duty teacher has opened the room (开门) and not closed it yet."""
    return session.scalar(select(RoomSession.id).where(RoomSession.closed_at.is_(None))) is not None


def opening_minutes_by_day(uow: UnitOfWork, first: date, last: date) -> dict[date, int]:
    """Minutes the room was open on each local day in [first, last]; a session over midnight is split."""
    with uow.read() as session:
        zone = load_settings(session).zone
        start, _ = day_bounds(first, zone)
        _, end = day_bounds(last, zone)
        now = uow.clock.now()
        minutes: dict[date, float] = {}
        day = first
        while day <= last:
            minutes[day] = 0.0
            day = date.fromordinal(day.toordinal() + 1)
        rows = session.scalars(
            select(RoomSession).where(
                RoomSession.opened_at < end,
                (RoomSession.closed_at.is_(None)) | (RoomSession.closed_at > start),
            )
        ).all()
        for row in rows:
            opened, closed = max(row.opened_at, start), min(row.closed_at or now, end)
            day = local_date(opened, zone)
            while opened < closed:
                _, day_end = day_bounds(day, zone)
                piece_end = min(closed, day_end)
                if day in minutes:
                    minutes[day] += (piece_end - opened).total_seconds() / 60
                opened, day = piece_end, date.fromordinal(day.toordinal() + 1)
        return {d: int(m) for d, m in minutes.items()}


def _current_session(uow: UnitOfWork) -> RoomSession | None:
    return uow.session.scalar(select(RoomSession).where(RoomSession.closed_at.is_(None)))
