"""Ending calls, within another service's transaction: below both the calls and the phone queue, which
each end calls (a child hangs up; the queue, moving on, finds a call left open past the time limit —
say the kiosk restarted mid-call and nobody pressed 结束通话)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.enums import CallEnd
from db.models import FamilyCall
from kiosk.services.uow import UnitOfWork


def end_expired_calls(uow: UnitOfWork, now: datetime) -> int:
    """Close calls open longer than the limit, at the limit."""
    limit = uow.settings.call_time_limit
    expired = uow.session.scalars(
        select(FamilyCall).where(FamilyCall.ended_at.is_(None), FamilyCall.started_at <= now - limit)
    ).all()
    for call in expired:
        end_call(uow, call, call.started_at + limit, CallEnd.TIME_LIMIT)
    return len(expired)


def end_call(uow: UnitOfWork, call: FamilyCall, ended_at: datetime, reason: CallEnd) -> None:
    call.ended_at = ended_at
    call.end_reason = reason
    uow.record(call.ended_event())
    uow.session.flush()
