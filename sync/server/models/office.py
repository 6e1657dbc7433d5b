"""The school office's own tables: counties, office users and their sessions, the login throttle, the
audit log and the staging area of a roster import.

These are not pulled by kiosks and carry no `change_seq`: they are the server's business alone.
Secrets are never stored as such: passwords as argon2id hashes (sync.server.web.passwords), session
tokens as SHA-256 digests of random values (like device tokens, they are random, not passwords, so a
fast hash is enough). A session's CSRF token is derived from its secret, so it is not stored at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from db.types import str_enum
from sync.server.models.base import CentralBase


class County(CentralBase):
    """A county's education bureau (区/县教育局): the schools its viewers may read."""

    __tablename__ = "counties"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


class OfficeRole(StrEnum):
    BUREAU_VIEWER = "bureau_viewer"  # 教育局: read-only, aggregates of its county's schools
    SCHOOL_ADMIN = "school_admin"  # 学校管理员: everything for one school
    SCHOOL_STAFF = "school_staff"  # 学校工作人员: reports of one school, no personal-data export


class OfficeUser(CentralBase):
    __tablename__ = "office_users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(40), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[OfficeRole] = mapped_column(str_enum(OfficeRole))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("schools.id"), index=True)
    county_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counties.id"))
    # School staff see children's names and records only when an administrator allows it.
    may_view_children: Mapped[bool] = mapped_column(default=False)
    # 心理咨询老师: reads and writes counselling records (sync.server.models.care), which no other
    # role reads, the administrator included.
    counsellor: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]
    # A password the administrator made (a new colleague's, a reset): good for one thing only, choosing
    # the user's own at the first sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class OfficeSession(CentralBase):
    """A signed-in browser. The cookie holds `<id>.<secret>`; the row keeps only the secret's digest, so
    a stolen database does not sign anyone in."""

    __tablename__ = "office_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginThrottle(CentralBase):
    """Failed sign-ins per key (an account, an account from one address, an address: see
    sync.server.office.accounts.login_throttle): in the database, so every worker counts the same
    failures and a restart forgets none. `username` and `address` say whose count it is, for the
    administrator who lifts a lockout."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    username: Mapped[str | None] = mapped_column(String(40), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class EnrolmentFailure(CentralBase):
    """A wrong enrolment code, from one client address (sync.server.devices.enrolment_throttle): rows
    in the database, so every worker process counts the same ones."""

    __tablename__ = "enrolment_failures"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(CentralBase):
    """Who looked at or changed what, for the school administrator. `detail` holds ids and counts, not
    names: the page resolves names when it is read, so erasing a child also erases them here."""

    __tablename__ = "audit_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime]
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("schools.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office_users.id"))
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(80))  # e.g. "child:<uuid>", "report:contact"
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entries_school_at", "school_id", "at"),)


class RosterImport(CentralBase):
    """A parsed import file (a roster, or the catalogue: `summary["what"]`, see office.staging) waiting
    for the administrator's confirmation. Nothing of it is written until then; confirmed, cancelled or
    stale rows are deleted (a roster's hold names and phone numbers)."""

    __tablename__ = "roster_imports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"))
    created_at: Mapped[datetime]
    filename: Mapped[str] = mapped_column(String(120))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class HeadingChoice(CentralBase):
    """What a school said an unknown column of its files is (孩子跟谁住 is the guardian's relation), so
    its next file with that heading needs no question. `field` "" means the column is not imported."""

    __tablename__ = "heading_choices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    what: Mapped[str] = mapped_column(String(20))  # which import: "roster"
    heading: Mapped[str] = mapped_column(String(80))  # as compared (sheet_columns.clean_heading)
    field: Mapped[str] = mapped_column(String(40))
    chosen_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("school_id", "what", "heading"),)


class KeyCheck(CentralBase):
    """Which secret key this database was used with, as a fingerprint that says nothing about the key
    (sync.server.core.student_numbers): a server started with another key file refuses to run."""

    __tablename__ = "key_checks"

    purpose: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
