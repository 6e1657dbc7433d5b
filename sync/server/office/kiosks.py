"""The school's kiosks as the office sees them: rooms, enrolment codes to hand to a kiosk (as text and
as a QR code the kiosk's camera or a phone can read), revocation, and each kiosk's state.

The QR code carries a `liushou-enrol:` URI with the server address and the code, nothing else; the
code is one-time and expires (24 hours unless the administrator asks for less), and only its hash is
stored, so the page that shows it is the only place it is ever seen.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.devices import provisioning
from sync.server.models import Device, Room
from sync.server.office import fields
from sync.server.office.fields import FieldProblem

MAX_CODE_HOURS = 72


@dataclass(frozen=True, slots=True)
class KioskState:
    device: Device
    room_name: str
    synced_ago: timedelta | None


def rooms_of(session: Session, school_id: uuid.UUID) -> list[Room]:
    return list(session.scalars(select(Room).where(Room.school_id == school_id).order_by(Room.created_at)))


def add_room(session: Session, school_id: uuid.UUID, name: str) -> Room:
    clean = fields.text(name)
    if not clean or len(clean) > 80:
        raise FieldProblem("room_name_invalid")
    return provisioning.create_room(session, school_id, clean)


def kiosks_of(session: Session, school_id: uuid.UUID, now: datetime) -> list[KioskState]:
    rooms = {r.id: r.name for r in rooms_of(session, school_id)}
    return [
        KioskState(d, rooms.get(d.room_id, "?"), None if d.last_seen_at is None else now - d.last_seen_at)
        for d in session.scalars(
            select(Device)
            .where(Device.school_id == school_id)
            .order_by(Device.revoked_at.is_not(None), Device.enrolled_at)
        )
    ]


def issue_code(
    session: Session, school_id: uuid.UUID, room_id: uuid.UUID, hours: float
) -> provisioning.IssuedCode:
    room = session.get(Room, room_id)
    if room is None or room.school_id != school_id:
        raise FieldProblem("room_unknown")
    if not 0 < hours <= MAX_CODE_HOURS:
        raise FieldProblem("code_hours_invalid")
    return provisioning.issue_enrolment_code(session, room_id, timedelta(hours=hours))


def enrolment_uri(server_url: str, code: str) -> str:
    return "liushou-enrol:?" + urlencode({"server": server_url, "code": code})


def qr_svg(text: str) -> str:
    """The QR code as an SVG document (drawn here: no image service, no internet)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def revoke(session: Session, school_id: uuid.UUID, device_id: uuid.UUID) -> Device:
    device = session.get(Device, device_id)
    if device is None or device.school_id != school_id:
        raise FieldProblem("kiosk_unknown")
    return provisioning.revoke_device(session, device_id)
