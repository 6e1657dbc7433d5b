"""Setting a staff member's PIN at the centre: the only place a PIN is ever typed in, hashed and kept.

The server stores the scrypt hash (db.pin_hash); every kiosk of the school receives it on its next
pull and seals it with its own device key before writing it (db.pin_seal), so a kiosk's SD card never
holds a hash a PIN can be tested against. Setting a PIN anew is also what fixes a kiosk whose device
key changed (its old seals no longer open) and what a school does after a kiosk is stolen.

For the web pages (issue 9) and the CLI alike: `set_staff_pin(session, staff_id, pin)` in the caller's
transaction, `PinRefused` with a sentence to show when the PIN is too easy to guess.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.pin_hash import hash_pin
from sync.server.devices.provisioning import AdminError
from sync.server.models import CentralStaff

MIN_DIGITS, MAX_DIGITS = 6, 8


class PinRefused(AdminError):
    """The PIN is not accepted; the message says why and is safe to show (it never holds the PIN)."""


def check_pin(pin: str) -> None:
    """6-8 digits, not one digit repeated, not a run up or down (123456, 987654), not a pair repeated
    (121212): the first guesses anyone tries. Six digits, since a kiosk's whole Pi can be stolen: then
    only the lockout and the PIN's length slow down whoever holds it (README: Staff PINs)."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise PinRefused(f"a staff PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if len(steps) == 1:  # 000000, 123456, 987654, 135791 …: one step all along
        raise PinRefused("this PIN is a repeated digit or a simple run; choose one that is harder to guess")
    if len(set(pin[0::2])) == 1 and len(set(pin[1::2])) == 1:
        raise PinRefused("this PIN repeats two digits; choose one that is harder to guess")


def set_staff_pin(session: Session, staff_id: uuid.UUID, pin: str) -> CentralStaff:
    """Hash and store a new PIN; kiosks pick it up on their next sync (the row's change is stamped)."""
    check_pin(pin)
    staff = session.get(CentralStaff, staff_id)
    if staff is None:
        raise AdminError(f"no staff member {staff_id}")
    staff.pin_hash = hash_pin(pin)
    session.flush()
    return staff


def staff_of(session: Session, school_id: uuid.UUID) -> list[CentralStaff]:
    query = select(CentralStaff).where(CentralStaff.school_id == school_id).order_by(CentralStaff.name)
    return list(session.scalars(query))
