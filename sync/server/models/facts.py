"""What happened in the rooms, as the kiosks reported it, and the conflicts the centre found in it.

Received events are the kiosks' facts, stored once each: the event UUID is the primary key and
(device, seq) is unique, so a resent or reordered batch cannot store anything twice. Both times are
kept: the kiosk's wall time as it was recorded, and the server's corrected time.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
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


class ReceivedEvent(CentralBase):
    __tablename__ = "received_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime]  # kiosk wall clock, as recorded
    boot_id: Mapped[str] = mapped_column(String(64))
    monotonic_ns: Mapped[int] = mapped_column(BigInteger)
    corrected_at: Mapped[datetime]  # best estimate of the real time; see sync.server.timefix
    time_basis: Mapped[TimeBasis] = mapped_column(str_enum(TimeBasis))
    received_at: Mapped[datetime]
    batch_id: Mapped[uuid.UUID]

    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        Index("ix_received_events_school_type", "school_id", "type"),
    )


class LoanFact(CentralBase):
    """One loan as the kiosks reported it, to find a copy lent twice at once. Built from
    loan.borrowed / loan.returned in whatever order they arrive."""

    __tablename__ = "loan_facts"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    loan_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    copy_id: Mapped[uuid.UUID] = mapped_column(index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    borrowed_event_id: Mapped[uuid.UUID | None]
    borrowed_at: Mapped[datetime | None]  # corrected; None while only the return has arrived
    returned_at: Mapped[datetime | None]  # corrected


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
