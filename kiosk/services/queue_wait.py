"""A child's rough wait for the phone, said as an estimate, never a promise.

Each call is taken to last the median of the room's recent phone calls (at least a minute, at most the
school's time limit; the limit itself before there are any), calls in progress to run to that length
(or a minute more, if they already have), and the phones to be shared in turn by the children ahead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import Select, select

from db.enums import CallDirection, CallKind
from db.models import FamilyCall, QueueEntry
from kiosk.services.uow import UnitOfWork

RECENT_CALLS = 20  # how many finished calls the typical length is taken from


def rough_wait(uow: UnitOfWork, ahead: Sequence[QueueEntry], now: datetime) -> int:
    """Minutes until a phone is likely free for the child behind `ahead` (see the module docstring)."""
    settings = uow.settings
    limit = settings.call_time_limit
    typical = typical_call(uow, limit)
    phones = max(1, settings.phones_in_room)
    free_at = [
        min(call.started_at + limit, max(call.started_at + typical, now + timedelta(minutes=1)))
        for call in uow.session.scalars(open_phone_calls())
    ]
    free_at += [now] * max(0, phones - len(free_at))
    for _entry in ahead:
        free_at.sort()
        free_at[0] = max(free_at[0], now) + typical
    wait = max(timedelta(0), min(free_at) - now)
    return max(1, math.ceil(wait.total_seconds() / 60))


def typical_call(uow: UnitOfWork, limit: timedelta) -> timedelta:
    recent = uow.session.execute(
        select(FamilyCall.started_at, FamilyCall.ended_at)
        .where(
            FamilyCall.kind == CallKind.PHONE,
            FamilyCall.direction == CallDirection.OUTGOING,
            FamilyCall.ended_at.is_not(None),
        )
        .order_by(FamilyCall.started_at.desc())
        .limit(RECENT_CALLS)
    ).all()
    if not recent:
        return limit
    seconds = median((end - start).total_seconds() for start, end in recent)
    return min(limit, max(timedelta(minutes=1), timedelta(seconds=seconds)))


def open_phone_calls() -> Select[tuple[FamilyCall]]:
    return select(FamilyCall).where(
        FamilyCall.ended_at.is_(None),
        FamilyCall.kind == CallKind.PHONE,
        FamilyCall.direction == CallDirection.OUTGOING,
    )
