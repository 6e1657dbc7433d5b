"""The outbox: every fact the kiosk records, as an immutable event waiting to be synced.

Order is the per-device sequence number, not the wall clock: the Pi has no real-time clock, so after
a power cut its wall time can be wrong until the network returns. The server corrects times from the
offset it measures at sync; the boot id and monotonic time let it tell one boot's events apart from
the next's.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, partial_index


class DeviceIdentity(Base):
    """The single row naming this kiosk and holding its next event sequence number."""

    __tablename__ = "device_identity"

    singleton: Mapped[int] = mapped_column(primary_key=True, default=1)
    device_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    next_seq: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime]


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # The identity the kiosk had when it made the event; one not yet sent goes up under the identity
    # the kiosk has when it is sent (a kiosk re-enrolled as a new device: sync.client.new_identity).
    device_id: Mapped[uuid.UUID]
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime]  # kiosk wall clock, possibly wrong; see module docstring
    boot_id: Mapped[str] = mapped_column(String(40))
    monotonic_ns: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None]  # set only when the server acknowledged the event

    __table_args__ = (partial_index("ix_outbox_events_pending", "seq", where="sent_at IS NULL"),)


# The settings row listing the keys the school office set for all its kiosks (written by the sync
# client, read by kiosk.services.room_settings, which then refuses to change them on the kiosk).
SET_BY_SCHOOL = "set_by_school"


class Setting(Base):
    """Per-school rules (cadence, loan periods, limits …) as JSON values; see kiosk.services.room_settings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
