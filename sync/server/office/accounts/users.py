"""Office users: who they are, what role they have, and their passwords.

Passwords are hashed with argon2id (memory-hard: 64 MiB and three passes per guess, so a stolen
database does not give the passwords away cheaply). A user belongs to one school (administrator or
staff) or to one county (bureau viewer); the database does not enforce that pairing, these functions
do, so every way of making a user goes through `create_user`.
"""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import County, OfficeRole, OfficeUser, School
from sync.server.office.accounts import password_rules

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_hasher = PasswordHasher()  # argon2id, RFC 9106's second recommended set (64 MiB, t=3, p=4)
# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refusal with a code the web pages translate (`field` names the form field at fault)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().lower()


def check_password_rules(
    password: str, username: str, *, names: Iterable[str] = (), school_names: Iterable[str] = ()
) -> None:
    """Length and variety, then the guessable (sync.server.office.accounts.password_rules): leaked
    and common passwords, patterns, and the user's (`names`) and the school's or county's names."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_too_long", "password")
    if normalise_username(username) in password.lower():
        raise AccountError("password_contains_username", "password")
    if len(set(password)) < 4:
        raise AccountError("password_too_simple", "password")
    try:
        password_rules.check_strength(password, names=[username, *names], school_names=school_names)
    except password_rules.WeakPassword as weak:
        raise AccountError(weak.code, "password") from None


def names_around(session: Session, school_id: uuid.UUID | None, county_id: uuid.UUID | None) -> list[str]:
    """The names of the school or county a user belongs to, which their password must not contain."""
    found = [
        session.get(School, school_id) if school_id else None,
        session.get(County, county_id) if county_id else None,
    ]
    return [place.name for place in found if place is not None]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: OfficeUser | None, password: str) -> bool:
    """Constant work whether or not the user exists; False for a disabled user."""
    try:
        _hasher.verify(user.password_hash if user is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.active


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    role: OfficeRole,
    school_id: uuid.UUID | None = None,
    county_id: uuid.UUID | None = None,
    may_view_children: bool = False,
) -> OfficeUser:
    name = normalise_username(username)
    if not (3 <= len(name) <= 40) or not all(ch.isalnum() or ch in "._-" for ch in name):
        raise AccountError("username_invalid", "username")
    display = display_name.strip()
    if not (1 <= len(display) <= 40):
        raise AccountError("display_name_invalid", "display_name")
    if session.scalar(select(func.count()).where(OfficeUser.username == name)):
        raise AccountError("username_taken", "username")
    if role is OfficeRole.BUREAU_VIEWER:
        if county_id is None or session.get(County, county_id) is None or school_id is not None:
            raise AccountError("bureau_needs_county", "county")
    elif school_id is None or session.get(School, school_id) is None or county_id is not None:
        raise AccountError("school_user_needs_school", "school")
    check_password_rules(
        password, name, names=[display], school_names=names_around(session, school_id, county_id)
    )
    now = now_of(session)
    user = OfficeUser(
        id=uuid.uuid4(),
        username=name,
        display_name=display,
        password_hash=hash_password(password),
        role=role,
        school_id=school_id,
        county_id=county_id,
        may_view_children=may_view_children or role is OfficeRole.SCHOOL_ADMIN,
        locale="zh_CN",
        active=True,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    return user


def users_of(session: Session, school_id: uuid.UUID) -> list[OfficeUser]:
    """The school's office users, by name."""
    return list(
        session.scalars(
            select(OfficeUser).where(OfficeUser.school_id == school_id).order_by(OfficeUser.username)
        )
    )


def set_password(session: Session, user: OfficeUser, password: str) -> None:
    check_password_rules(
        password,
        user.username,
        names=[user.display_name],
        school_names=names_around(session, user.school_id, user.county_id),
    )
    user.password_hash = hash_password(password)
    user.password_changed_at = now_of(session)
    user.must_change_password = False


def temporary_password() -> str:
    """For an administrator resetting a colleague's password: shown once, to be changed."""
    return secrets.token_urlsafe(9)


def find_user(session: Session, username: str) -> OfficeUser | None:
    return session.scalar(select(OfficeUser).where(OfficeUser.username == normalise_username(username)))
