"""Signed-in browsers: a random session token in an HttpOnly cookie, and a CSRF token derived from it.

The cookie holds `<id>.<secret>`; the database keeps the secret's SHA-256 only. The CSRF token every
form carries is HMAC(secret, "csrf"): a page can always render it from the cookie it was sent, a forged
cross-site form cannot know it, and a token from an earlier session (signed out, expired, another
user) no longer matches. Sessions end after two idle hours or twelve hours in all, and at sign-out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.devices.credentials import digest
from sync.server.models import OfficeSession, OfficeUser

IDLE_LIMIT = timedelta(hours=2)
ABSOLUTE_LIMIT = timedelta(hours=12)
# last_seen_at is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: OfficeUser
    session_id: str
    csrf_token: str


def start(session: Session, user: OfficeUser) -> str:
    """A new session for `user`; returns the cookie value (shown to the browser once)."""
    now = now_of(session)
    session_id, secret = secrets.token_hex(16), secrets.token_urlsafe(32)
    session.add(
        OfficeSession(
            id=session_id,
            secret_hash=digest(secret),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_LIMIT,
        )
    )
    return f"{session_id}.{secret}"


@dataclass(frozen=True, slots=True)
class Check:
    """What a cookie is worth, read without writing: pages are read far more often than written, and
    a write on SQLite takes the lock the kiosks' pushes need. `touch` / `drop` say what to write."""

    signed_in: SignedIn | None
    touch: bool = False  # last_seen_at is due to be moved on
    drop: str | None = None  # an expired session to delete


def check(session: Session, cookie: str | None) -> Check:
    """The user behind a cookie; none when it is unknown, expired or the user is disabled."""
    session_id, secret = _split(cookie)
    if session_id is None or secret is None:
        return Check(None)
    row = session.get(OfficeSession, session_id)
    if row is None or not hmac.compare_digest(digest(secret), row.secret_hash):
        return Check(None)
    now = now_of(session)
    user = session.get(OfficeUser, row.user_id)
    if row.expires_at <= now or row.last_seen_at + IDLE_LIMIT <= now or user is None or not user.active:
        return Check(None, drop=session_id)
    return Check(SignedIn(user, session_id, csrf_token(secret)), touch=now - row.last_seen_at >= TOUCH_EVERY)


def apply_check(session: Session, outcome: Check) -> None:
    if outcome.drop is not None:
        session.execute(delete(OfficeSession).where(OfficeSession.id == outcome.drop))
    elif outcome.touch and outcome.signed_in is not None:
        session.execute(
            update(OfficeSession)
            .where(OfficeSession.id == outcome.signed_in.session_id)
            .values(last_seen_at=now_of(session))
        )


def end(session: Session, cookie: str | None) -> None:
    session_id, _secret = _split(cookie)
    if session_id is not None:
        session.execute(delete(OfficeSession).where(OfficeSession.id == session_id))


def end_all_for(session: Session, user: OfficeUser) -> None:
    """After a password change or a disabled account: every browser of that user signs in again."""
    session.execute(delete(OfficeSession).where(OfficeSession.user_id == user.id))


def csrf_token(secret: str) -> str:
    return hmac.new(secret.encode(), b"csrf", hashlib.sha256).hexdigest()


def csrf_matches(expected: str, submitted: str | None) -> bool:
    return submitted is not None and hmac.compare_digest(expected.encode(), submitted.encode())


def _split(cookie: str | None) -> tuple[str | None, str | None]:
    if not cookie:
        return None, None
    session_id, dot, secret = cookie.partition(".")
    if not dot or len(session_id) != 32 or not secret or len(secret) > 100:
        return None, None
    return session_id, secret
