"""Login throttling: a name or an address that keeps failing waits longer and longer.

Two keys per attempt: the user name (someone guessing one account's password from many addresses)
and the client address (someone trying many names from one machine, with a higher limit because a
school office shares one address). Past the limit each further failure doubles the lockout, up to a
day. Kept in the database, so restarting the server does not reset it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import LoginThrottle

WINDOW = timedelta(minutes=15)
# A lockout that ended this long ago with no new failure is forgiven: the count starts again.
FORGIVE_AFTER = timedelta(hours=1)
FIRST_LOCKOUT = timedelta(minutes=1)
MAX_LOCKOUT = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Limit:
    key: str
    allowed_failures: int


def limits_for(username: str, address: str | None) -> list[Limit]:
    limits = [Limit(f"user:{username}"[:120], 5)]
    if address:
        limits.append(Limit(f"ip:{address}"[:120], 30))
    return limits


def locked_until(session: Session, limits: list[Limit], now: datetime | None = None) -> datetime | None:
    """The latest lockout still running for any of the keys, or None."""
    now = now or now_of(session)
    ends = [
        row.locked_until
        for limit in limits
        if (row := session.get(LoginThrottle, limit.key)) is not None
        and row.locked_until is not None
        and row.locked_until > now
    ]
    return max(ends) if ends else None


def record_failure(session: Session, limits: list[Limit], now: datetime | None = None) -> None:
    now = now or now_of(session)
    for limit in limits:
        row = session.get(LoginThrottle, limit.key)
        if row is None:
            row = LoginThrottle(key=limit.key, failures=0, first_failure_at=now)
            session.add(row)
        elif _stale(row, now):
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        over = row.failures - limit.allowed_failures
        if over >= 0:
            row.locked_until = now + min(FIRST_LOCKOUT * (2**over), MAX_LOCKOUT)


def _stale(row: LoginThrottle, now: datetime) -> bool:
    if row.locked_until is None:
        return row.first_failure_at < now - WINDOW
    return row.locked_until < now - FORGIVE_AFTER


def record_success(session: Session, limits: list[Limit]) -> None:
    """A correct password clears the name's count (not the address's: one success among many
    failures from a shared address is no reason to forgive the rest)."""
    row = session.get(LoginThrottle, limits[0].key)
    if row is not None:
        session.delete(row)
