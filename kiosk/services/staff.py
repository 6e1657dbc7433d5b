"""Administrator log-in: a staff card, then a PIN typed on the screen's keypad.

Wrong PINs are counted on disk; after too many the staff member is locked out for a while, so a child
cannot try all 10,000 four-digit PINs at the kiosk.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from db.enums import StaffRole
from db.models import PinAttempts
from db.pin_hash import verify_pin
from kiosk.services.errors import PinLocked, WrongPin
from kiosk.services.lookups import require_staff
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StaffSession:
    staff_id: uuid.UUID
    name: str
    role: StaffRole


def verify_staff_pin(uow: UnitOfWork, staff_id: uuid.UUID, pin: str) -> StaffSession:
    with uow:
        session = uow.session
        staff = require_staff(session, staff_id)
        now = uow.clock.now()
        attempts = session.get(PinAttempts, staff_id) or PinAttempts(staff_id=staff_id, failures=0)
        if attempts.locked_until is not None and attempts.locked_until > now:
            minutes = int((attempts.locked_until - now).total_seconds() // 60) + 1
            raise PinLocked(minutes=minutes)
        if verify_pin(pin, staff.pin_hash):
            if attempts in session:
                session.delete(attempts)
            uow.commit()
            return StaffSession(staff.id, staff.name, staff.role)
        settings = uow.settings
        attempts.failures += 1
        attempts.locked_until = None
        if attempts.failures >= settings.pin_max_attempts:
            attempts.failures = 0
            attempts.locked_until = now + timedelta(minutes=settings.pin_lockout_minutes)
        session.add(attempts)
        uow.commit()  # the failure must be remembered even though we refuse
        if attempts.locked_until is not None:
            raise PinLocked(minutes=settings.pin_lockout_minutes)
        raise WrongPin(attempts_left=settings.pin_max_attempts - attempts.failures)
