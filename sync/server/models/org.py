"""Schools, their rooms, the kiosks standing in them, and how a kiosk gets in (enrolment codes).

Secrets are stored hashed: a device token is `<token_id>.<secret>`; the id finds the row, the secret's
SHA-256 is compared in constant time. Codes and secrets are random (not passwords), so a fast hash is
enough: nobody can guess their way back from the hash.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sync.server.models.base import CentralBase


class School(CentralBase):
    __tablename__ = "schools"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(80))
    # The last change sequence handed out to this school's central rows: the pull cursor's clock.
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    county_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counties.id"), index=True)
    # The school's own rules (sync.server.core.school_settings.SchoolSettings), as set, and the change
    # number they were last set under: the rules kiosks follow travel in the pull after that number.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    settings_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Room(CentralBase):
    __tablename__ = "rooms"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


class Device(CentralBase):
    """A kiosk. Its id is the kiosk's own device id, so events and device row agree without a mapping."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id"))
    label: Mapped[str | None] = mapped_column(String(80))
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    # Server time minus kiosk wall time at the last push, in ms: "this kiosk's clock is 3 h slow".
    clock_offset_ms: Mapped[int | None] = mapped_column(BigInteger)
    clock_measured_at: Mapped[datetime | None]
    # What the kiosk said of itself at its last push: its version, and what it still had to send.
    kiosk_version: Mapped[str | None] = mapped_column(String(40))
    pending_events: Mapped[int | None]
    # The staff PIN seal key agreed with the kiosk (hex; sync.server.devices.pin_seal_keys): every
    # verifier this kiosk is sent is sealed with it. None: enrolled by an older kiosk, not yet agreed.
    pin_seal_key: Mapped[str | None] = mapped_column(String(64))
    pin_seal_agreed_at: Mapped[datetime | None]


class DeviceBoot(CentralBase):
    """Per kiosk boot: server time minus the kiosk's monotonic clock, measured at its latest push.

    Within one boot the monotonic clock never jumps, so anchor + monotonic_ns is the real time of an
    event even if the kiosk's wall clock was wrong, or was stepped by NTP, when the event happened.
    """

    __tablename__ = "device_boots"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    boot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    anchor_ns: Mapped[int] = mapped_column(BigInteger)  # unix ns (server) − monotonic ns (kiosk)
    measured_at: Mapped[datetime]


class EnrolmentCode(CentralBase):
    __tablename__ = "enrolment_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_device_id: Mapped[uuid.UUID | None]
