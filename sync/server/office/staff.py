"""The room's duty teachers and administrators (值班老师 / 管理员) who use the kiosk's administrator
mode: made here, with a PIN and a staff card, and pulled by every kiosk of the school.

A PIN is only ever typed in the office (or on the server's command line), checked against the policy
of sync.server.office.staff_pins and stored as its scrypt hash; kiosks seal that hash with their own device
key (see README "Staff PINs"). The office never shows a PIN back.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import CardStatus, StaffRole
from db.pin_hash import hash_pin
from sync.server.models import CentralCard, CentralStaff
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import cards
from sync.server.office.staff_pins import PinRefused, check_pin


def checked_pin(pin: str, repeated: str) -> str:
    if pin != repeated:
        raise FieldProblem("pin_mismatch")
    try:
        check_pin(pin)
    except PinRefused as exc:
        raise FieldProblem("pin_too_easy" if pin.isdigit() and len(pin) >= 6 else "pin_form") from exc
    return pin


def create(
    session: Session, school_id: uuid.UUID, name: str, role: StaffRole, pin: str, repeated: str
) -> CentralStaff:
    staff = CentralStaff(
        id=uuid.uuid4(),
        school_id=school_id,
        name=fields.person_name(name),
        role=role,
        pin_hash=hash_pin(checked_pin(pin, repeated)),
        active=True,
    )
    session.add(staff)
    session.flush()
    return staff


def set_pin(staff: CentralStaff, pin: str, repeated: str) -> None:
    staff.pin_hash = hash_pin(checked_pin(pin, repeated))


def give_card(session: Session, staff: CentralStaff, raw_uid: str) -> CentralCard:
    if not staff.active:
        raise FieldProblem("staff_inactive")
    return cards.assign(session, staff.school_id, raw_uid, staff_id=staff.id)


def set_active(session: Session, staff: CentralStaff, active: bool) -> None:
    """A teacher who leaves can no longer open the administrator mode; their cards stop working."""
    staff.active = active
    if not active:
        for card in session.scalars(select(CentralCard).where(CentralCard.staff_id == staff.id)):
            if card.status is CardStatus.ACTIVE:
                card.status = CardStatus.RETIRED


def staff_of(session: Session, school_id: uuid.UUID) -> list[CentralStaff]:
    return list(
        session.scalars(
            select(CentralStaff).where(CentralStaff.school_id == school_id).order_by(CentralStaff.name)
        )
    )


def cards_by_staff(session: Session, school_id: uuid.UUID) -> dict[uuid.UUID, list[CentralCard]]:
    """Each staff member's cards (the staff card that opens the kiosk's administrator mode)."""
    held = session.scalars(
        select(CentralCard).where(CentralCard.school_id == school_id, CentralCard.staff_id.is_not(None))
    )
    by_staff: dict[uuid.UUID, list[CentralCard]] = {}
    for card in held:
        if card.staff_id is not None:
            by_staff.setdefault(card.staff_id, []).append(card)
    return by_staff
