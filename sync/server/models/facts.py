"""What happened in the rooms, as the kiosks reported it, and the conflicts the centre found in it.

Received events are the kiosks' facts, stored once each: (school, event UUID) is the primary key and
(device, seq) is unique, so a resent or reordered batch cannot store anything twice. Event ids are
scoped per school: a kiosk of one school can neither learn whether an id exists in another school nor
take one first and make the other school's upload clash. Both times are kept: the kiosk's wall time as
it was recorded, and the server's corrected time.

Set-aside events are the ones the server could not take as facts (an unknown type, a payload that does
not match its type, or one the database refused): kept whole, with the reason, for the school office to
look at, and acknowledged to the kiosk like any other, so one bad event never stops a kiosk's uploads.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.types import str_enum
from sync.server.models.base import CentralBase


class TimeBasis(StrEnum):
    BOOT_ANCHOR = "boot_anchor"  # corrected from the kiosk's monotonic clock and a measured anchor
    KIOSK_CLOCK = "kiosk_clock"  # that boot never reached the server: the kiosk's wall time, unverified


class ConflictKind(StrEnum):
    COPY_LENT_TWICE = "copy_lent_twice"  # two kiosks lent the same copy for overlapping times
    CARD_USED_AFTER_CENTRAL_CHANGE = "card_used_after_central_change"  # reassigned/lost centrally first
    CARD_REGISTRATION_CLASH = "card_registration_clash"  # a kiosk gave out a card the centre gave to another
    KIOSK_CHANGE_SUPERSEDED = "kiosk_change_superseded"  # a kiosk's change older than the centre's latest
    UNKNOWN_REFERENCE = "unknown_reference"  # the fact names a child/copy/staff this school does not have


class ConflictStatus(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # later facts showed there was no conflict (e.g. a return that came late)
    RESOLVED = "resolved"  # an administrator looked at it


class SetAsideReason(StrEnum):
    UNKNOWN_EVENT_TYPE = "unknown_event_type"  # a newer kiosk than this server, or a bug
    INVALID_PAYLOAD = "invalid_payload"  # the payload does not match its type (db.events)
    COULD_NOT_STORE = "could_not_store"  # valid, yet the database refused it


class SetAsideStatus(StrEnum):
    OPEN = "open"  # the office has not looked at it yet
    RESOLVED = "resolved"  # a person looked at it (and, say, upgraded the server)


class ReceivedEvent(CentralBase):
    """The table every event goes into, a hundred thousand rows in a kiosk's semester backlog. Its school
    and device are not foreign keys: the intake (sync.server.intake.ingest) is the only writer, and it writes
    them from the authenticated device it has just read and locked; devices and schools are never
    deleted (a kiosk is revoked, not removed). The checks cost 40 % of the database's time per inserted
    event on PostgreSQL (measured), for nothing the intake does not already guarantee."""

    __tablename__ = "received_events"

    id: Mapped[uuid.UUID]
    school_id: Mapped[uuid.UUID]
    device_id: Mapped[uuid.UUID]
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime]  # kiosk wall clock, as recorded
    boot_id: Mapped[str] = mapped_column(String(64))
    monotonic_ns: Mapped[int] = mapped_column(BigInteger)
    corrected_at: Mapped[datetime]  # best estimate of the real time; see sync.server.intake.timefix
    time_basis: Mapped[TimeBasis] = mapped_column(str_enum(TimeBasis))
    received_at: Mapped[datetime]
    batch_id: Mapped[uuid.UUID]

    __table_args__ = (
        PrimaryKeyConstraint("school_id", "id"),
        UniqueConstraint("device_id", "seq"),
        Index("ix_received_events_school_type", "school_id", "type"),
    )


class SetAsideEvent(CentralBase):
    """An event a kiosk sent that is not stored as a fact, and why. `event` is the whole event as the
    kiosk sent it (JSON), so it can be looked at, or taken in once the server understands it; `detail`
    names fields and error types, never values. Its id and (device, seq) are taken, as a stored event's
    would be: a resend is recognised, another event under the same id or seq is a clash."""

    __tablename__ = "set_aside_events"

    id: Mapped[uuid.UUID]
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))  # as sent; may be a type this server does not know
    event: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[SetAsideReason] = mapped_column(str_enum(SetAsideReason))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
    batch_id: Mapped[uuid.UUID]
    status: Mapped[SetAsideStatus] = mapped_column(str_enum(SetAsideStatus), default=SetAsideStatus.OPEN)
    resolved_at: Mapped[datetime | None]

    __table_args__ = (
        PrimaryKeyConstraint("school_id", "id"),
        UniqueConstraint("device_id", "seq"),
        Index("ix_set_aside_events_school_status", "school_id", "status"),
    )


class LoanFact(CentralBase):
    """One loan as the kiosks reported it, to find a copy lent twice at once. Built from
    loan.borrowed / loan.returned in whatever order they arrive. Loan ids are scoped per school, like
    event ids. The index serves the double-lending check: the loans of a few copies that end after a
    given time (or have not ended), whatever the length of the history."""

    __tablename__ = "loan_facts"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    loan_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    copy_id: Mapped[uuid.UUID]
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    borrowed_event_id: Mapped[uuid.UUID | None]
    borrowed_at: Mapped[datetime | None]  # corrected; None while only the return has arrived
    returned_at: Mapped[datetime | None]  # corrected

    __table_args__ = (Index("ix_loan_facts_school_copy", "school_id", "copy_id", "returned_at"),)


class Conflict(CentralBase):
    """Two facts that cannot both be true as recorded. Both stay stored; this row asks a person to look."""

    __tablename__ = "conflicts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(str_enum(ConflictKind, length=40))
    dedupe_key: Mapped[str] = mapped_column(String(200))  # the same conflict found twice is one row
    status: Mapped[ConflictStatus] = mapped_column(str_enum(ConflictStatus), default=ConflictStatus.OPEN)
    event_ids: Mapped[list[str]] = mapped_column(JSON)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # ids and times only, never names
    detected_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # Resolved by hand in the office: who, and what they found (free text the school writes).
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office_users.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("school_id", "kind", "dedupe_key"),)
