"""What the school's administrator does on the server: schools, rooms, enrolment codes, revocation.

Functions take a session and leave the commit to the caller (the CLI, or a test), so one admin action
is one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.devices import credentials
from sync.server.devices.enrolment import MAX_CODE_LIFETIME
from sync.server.models import Conflict, Device, EnrolmentCode, Room, School, SetAsideEvent
from sync.server.models.facts import ConflictStatus, SetAsideStatus

DEFAULT_CODE_LIFETIME = timedelta(hours=24)


class AdminError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str  # shown once: only its hash is stored
    expires_at: datetime


def create_school(session: Session, name: str) -> School:
    school = School(id=uuid.uuid4(), name=name, change_seq=0, created_at=now_of(session))
    session.add(school)
    session.flush()
    return school


def create_room(session: Session, school_id: uuid.UUID, name: str) -> Room:
    if session.get(School, school_id) is None:
        raise AdminError(f"no school {school_id}")
    room = Room(id=uuid.uuid4(), school_id=school_id, name=name, created_at=now_of(session))
    session.add(room)
    session.flush()
    return room


def issue_enrolment_code(
    session: Session, room_id: uuid.UUID, lifetime: timedelta = DEFAULT_CODE_LIFETIME
) -> IssuedCode:
    if not timedelta(0) < lifetime <= MAX_CODE_LIFETIME:
        raise AdminError(f"an enrolment code lives more than 0 and at most {MAX_CODE_LIFETIME.days} days")
    room = session.get(Room, room_id)
    if room is None:
        raise AdminError(f"no room {room_id}")
    now = now_of(session)
    code = credentials.new_enrolment_code()
    session.add(
        EnrolmentCode(
            code_hash=credentials.digest(credentials.normalise_code(code)),
            school_id=room.school_id,
            room_id=room.id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return IssuedCode(code, now + lifetime)


def revoke_device(session: Session, device_id: uuid.UUID) -> Device:
    """The kiosk's token stops working at once; its events already received stay."""
    device = session.get(Device, device_id)
    if device is None:
        raise AdminError(f"no device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = now_of(session)
    return device


def devices_of(session: Session, school_id: uuid.UUID) -> list[Device]:
    return list(
        session.scalars(select(Device).where(Device.school_id == school_id).order_by(Device.enrolled_at))
    )


def active_devices_of(session: Session, school_id: uuid.UUID) -> list[Device]:
    """The school's kiosks that have not been revoked."""
    return [device for device in devices_of(session, school_id) if device.revoked_at is None]


def open_conflicts(session: Session, school_id: uuid.UUID) -> list[Conflict]:
    return list(
        session.scalars(
            select(Conflict)
            .where(Conflict.school_id == school_id, Conflict.status == ConflictStatus.OPEN)
            .order_by(Conflict.detected_at)
        )
    )


def open_set_aside_events(session: Session, school_id: uuid.UUID) -> list[SetAsideEvent]:
    """Events a kiosk of the school sent that the server could not take as facts, oldest first."""
    return list(
        session.scalars(
            select(SetAsideEvent)
            .where(SetAsideEvent.school_id == school_id, SetAsideEvent.status == SetAsideStatus.OPEN)
            .order_by(SetAsideEvent.received_at, SetAsideEvent.device_id, SetAsideEvent.seq)
        )
    )
