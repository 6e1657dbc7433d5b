"""Sign-in throttling that nobody on the LAN can turn into a lockout of someone else.

Three counts per attempt, kept in the database, so every worker process sees them and a restart does
not reset them:

- this account from this address (PAIR): after 5 wrong passwords that address may not try that account
  for a minute, then 2, 4 … up to a day. It stops one computer guessing one password, and locks out
  nobody but that computer, for that account;
- this address, whatever the name (ADDRESS): 30 wrong passwords, then the same growing lockout (a
  school's office may share one address, hence the higher limit);
- this account, from anywhere (ACCOUNT): after 5 wrong passwords every attempt at the account waits a
  little after the last wrong one — 5, 10, 20 … seconds, at most a minute. A slowdown, never a lock: the
  right password from another computer gets in once it has passed, and whoever guesses from many
  addresses gets at most one guess a minute at that account.

An attempt is counted *before* its password is checked, in a short transaction that holds the rows
(SELECT … FOR UPDATE on PostgreSQL, the write lock on SQLite), and given back when the password was
right: guesses sent at once to several workers get no more checks than guesses sent one by one. The
slow password check runs outside any transaction. The school's administrator lifts an account's
lockouts (`lift`); the pages audit both the lockout and the lifting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from sync.server.core.bulk import insert_missing
from sync.server.core.clock import now_of
from sync.server.models import LoginThrottle

WINDOW = timedelta(minutes=15)  # failures this far apart, with no lockout between, are forgotten
FORGIVE_AFTER = timedelta(hours=1)  # a lockout over this long ago, with no new failure, is forgiven
FIRST_LOCKOUT, MAX_LOCKOUT = timedelta(minutes=1), timedelta(days=1)
FIRST_SLOWDOWN, MAX_SLOWDOWN = timedelta(seconds=5), timedelta(minutes=1)


class Scope(StrEnum):
    ACCOUNT = "account"  # a slowdown of the account, from every address
    PAIR = "pair"  # the account, from one address
    ADDRESS = "address"  # one address, every account


@dataclass(frozen=True, slots=True)
class Limit:
    scope: Scope
    username: str | None
    address: str | None
    allowed_failures: int
    first_wait: timedelta
    max_wait: timedelta

    @property
    def key(self) -> str:
        return {
            Scope.ACCOUNT: f"account:{self.username}",
            Scope.PAIR: f"pair:{self.username}@{self.address}",
            Scope.ADDRESS: f"address:{self.address}",
        }[self.scope][:120]

    def wait_after(self, failures: int) -> timedelta | None:
        """How long this key waits after its `failures`-th failure in a row (None: not at all)."""
        over = failures - self.allowed_failures
        return None if over < 0 else min(self.first_wait * 2 ** min(over, 30), self.max_wait)


def limits_for(username: str, address: str | None) -> list[Limit]:
    """The counts an attempt at `username` from `address` goes into, in the order their rows are locked."""
    limits = [Limit(Scope.ACCOUNT, username, None, 5, FIRST_SLOWDOWN, MAX_SLOWDOWN)]
    if address:
        limits.append(Limit(Scope.PAIR, username, address, 5, FIRST_LOCKOUT, MAX_LOCKOUT))
        limits.append(Limit(Scope.ADDRESS, None, address, 30, FIRST_LOCKOUT, MAX_LOCKOUT))
    return sorted(limits, key=lambda limit: limit.key)


@dataclass(frozen=True, slots=True)
class Refused:
    """The attempt is not even checked: `scope` is waiting until `until`."""

    scope: Scope
    until: datetime


@dataclass(frozen=True, slots=True)
class Counted:
    """The attempt is counted; `engaged` are the lockouts it starts if its password proves wrong."""

    engaged: tuple[tuple[Scope, datetime], ...]


def reserve(session: Session, limits: Sequence[Limit]) -> Refused | Counted:
    """Refuse the attempt if any of its keys is waiting, else count it as a failure until `give_back`.
    The caller commits either way."""
    now = now_of(session)
    rows = _held(session, limits, now)
    waiting = [
        Refused(limit.scope, row.locked_until)
        for limit, row in zip(limits, rows, strict=True)
        if row.locked_until is not None and row.locked_until > now
    ]
    if waiting:
        return max(waiting, key=lambda refused: refused.until)
    engaged = []
    for limit, row in zip(limits, rows, strict=True):
        row.failures += 1
        wait = limit.wait_after(row.failures)
        if wait is not None:
            row.locked_until = now + wait
            engaged.append((limit.scope, row.locked_until))
    return Counted(tuple(engaged))


def give_back(session: Session, limits: Sequence[Limit]) -> None:
    """The password was right: the account's and this address's counts for it start again; the
    address's own count only loses this attempt (one success among many failures from a shared
    address is no reason to forgive the rest)."""
    for limit in limits:
        if limit.scope is Scope.ADDRESS:
            row = session.get(LoginThrottle, limit.key, with_for_update=True)
            if row is not None:
                row.failures = max(0, row.failures - 1)
                if limit.wait_after(row.failures) is None:
                    row.locked_until = None
        else:
            session.execute(delete(LoginThrottle).where(LoginThrottle.key == limit.key))


@dataclass(frozen=True, slots=True)
class Lockout:
    scope: Scope
    address: str | None
    until: datetime
    failures: int


def lockouts_of(session: Session, usernames: Sequence[str]) -> dict[str, list[Lockout]]:
    """The lockouts and slowdowns running now for these accounts, for the administrator's page."""
    now = now_of(session)
    found: dict[str, list[Lockout]] = {}
    rows = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.username.in_(list(usernames)), LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.locked_until.desc())
    )
    for row in rows:
        scope = Scope.PAIR if row.address else Scope.ACCOUNT
        found.setdefault(row.username, []).append(Lockout(scope, row.address, row.locked_until, row.failures))
    return found


def lift(session: Session, username: str) -> list[str]:
    """End every lockout of the account (from each address) and its slowdown; returns the addresses
    that were locked out of it. Address-wide lockouts stay: they span every school's accounts."""
    rows = list(session.scalars(select(LoginThrottle).where(LoginThrottle.username == username)))
    for row in rows:
        session.delete(row)
    return sorted(row.address for row in rows if row.address)


def _held(session: Session, limits: Sequence[Limit], now: datetime) -> list[LoginThrottle]:
    """The limits' rows, made if missing, locked for this transaction, a stale count started again."""
    table = LoginThrottle.__table__
    insert_missing(
        session,
        table,
        [
            {"key": limit.key, "username": limit.username, "address": limit.address, "failures": 0,
             "first_failure_at": now, "locked_until": None}
            for limit in limits
        ],
    )  # fmt: skip
    found = {
        row.key: row
        for row in session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_([limit.key for limit in limits]))
            .order_by(LoginThrottle.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    rows = [found[limit.key] for limit in limits]
    for row in rows:
        if _stale(row, now):
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
    return rows


def _stale(row: LoginThrottle, now: datetime) -> bool:
    if row.locked_until is None:
        return row.first_failure_at < now - WINDOW
    return row.locked_until < now - FORGIVE_AFTER


def forget_stale(session: Session) -> int:
    """Delete counts nobody needs any more (the table holds the last hour or so, not years). Rows
    another attempt holds right now are skipped (SKIP LOCKED on PostgreSQL), never waited for."""
    now = now_of(session)
    stale = (
        select(LoginThrottle.key)
        .where(
            or_(
                LoginThrottle.locked_until < now - FORGIVE_AFTER,
                LoginThrottle.locked_until.is_(None) & (LoginThrottle.first_failure_at < now - WINDOW),
            )
        )
        .with_for_update(skip_locked=True)
    )
    keys = list(session.scalars(stale))
    if keys:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    return len(keys)
