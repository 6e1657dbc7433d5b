"""Administrator log-in: a staff card, then a PIN typed on the screen's keypad.

Wrong PINs are counted on disk; after too many the staff member is locked out, and each lockout
since the last right PIN lasts twice as long as the one before (5, 10, 20 … minutes, up to a day by
default), so guessing a 4-digit PIN at the screen takes years, not an afternoon. The PIN is checked
against the seal the kiosk keeps (db.pin_seal), which needs the device key as well as the file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from db.enums import StaffRole
from db.models import PinAttempts
from db.pin_seal import SealedUnderAnotherKey, verify_sealed_pin
from kiosk.services.errors import PinLocked, PinSealedElsewhere, WrongPin
from kiosk.services.lookups import require_staff
from kiosk.services.room_settings import RoomSettings
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
        attempts = session.get(PinAttempts, staff_id)
        if attempts is None:
            attempts = PinAttempts(staff_id=staff_id, failures=0, lockouts=0)
        if attempts.locked_until is not None and attempts.locked_until > now:
            minutes = int((attempts.locked_until - now).total_seconds() // 60) + 1
            raise PinLocked(minutes=minutes)
        try:
            right = verify_sealed_pin(pin, staff.pin_hash, uow.pin_key)
        except SealedUnderAnotherKey:
            raise PinSealedElsewhere() from None
        if right:
            if attempts in session:
                session.delete(attempts)
            uow.commit()
            return StaffSession(staff.id, staff.name, staff.role)
        settings = uow.settings
        attempts.failures += 1
        attempts.locked_until = None
        lockout = None
        if attempts.failures >= settings.pin_max_attempts:
            lockout = lockout_minutes(settings, attempts.lockouts)
            attempts.failures = 0
            attempts.lockouts += 1
            attempts.locked_until = now + timedelta(minutes=lockout)
        session.add(attempts)
        uow.commit()  # the failure must be remembered even though we refuse
        if lockout is not None:
            raise PinLocked(minutes=lockout)
        raise WrongPin(attempts_left=settings.pin_max_attempts - attempts.failures)


def lockout_minutes(settings: RoomSettings, earlier_lockouts: int) -> int:
    """5, 10, 20, 40 … minutes (the school's first lockout, doubled each time), at most the cap."""
    doubled = settings.pin_lockout_minutes * 2 ** min(earlier_lockouts, 20)
    return min(doubled, max(settings.pin_lockout_max_minutes, settings.pin_lockout_minutes))
