"""The key a kiosk and its school's server agree at enrolment, so the server never hands out a staff
PIN verifier that a kiosk's SD card alone could test.

The server keeps each staff member's scrypt verifier (db.pin_hash). Whoever holds a kiosk's device
token — anyone with its SD card — can pull what the server serves that kiosk. So the server serves
each verifier sealed for that kiosk (db.pin_seal's format, HMAC under the kiosk's agreed key) and never
the verifier itself. The agreed key is derived on the kiosk from its device key (the Raspberry Pi's
OTP key, in the chip, not on the card; db.pin_seal.agreed_key) and sent once, at enrolment, over TLS.
A card without the chip cannot rebuild it, so what its token fetches confirms no PIN.

Kiosks enrolled by an older version have no agreed key: the server withholds their verifiers
(db.pin_seal.WITHHELD; the kiosk keeps the seals it has) until the upgraded kiosk agrees one at its next
sync (`agree`). That late agreement is taken once per enrolment: a second, different key — a thief's,
or the card's in another Pi — is refused, and the kiosk is told to enrol again.
"""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.pin_seal import WITHHELD, PinKey, seal_pin_hash
from sync.server.api.errors import ApiError
from sync.server.core.clock import now_of
from sync.server.models import CentralStaff, Device
from sync.wire import SealedPin, SealedPins


def seal_key_of(device: Device) -> PinKey | None:
    return PinKey(bytes.fromhex(device.pin_seal_key)) if device.pin_seal_key else None


def served_verifier(verifier: str, key: PinKey | None) -> str:
    """What a kiosk is sent for a staff member's verifier: sealed with its agreed key, or nothing."""
    return seal_pin_hash(verifier, key) if key is not None else WITHHELD


def agree(session: Session, device_id: uuid.UUID, key_hex: str) -> SealedPins:
    """Take a kiosk's agreed key if it has none yet (or the same again); return its school's verifiers
    sealed with it, for the kiosk to put in place of the seals it made itself."""
    device = session.get(Device, device_id, with_for_update=True)
    assert device is not None
    if device.pin_seal_key is None:
        device.pin_seal_key = key_hex
        device.pin_seal_agreed_at = now_of(session)
    elif not hmac.compare_digest(device.pin_seal_key, key_hex):
        raise ApiError(
            409,
            "pin_seal_key_taken",
            "This kiosk already agreed another PIN key with the server (its card was copied, or moved to "
            "another Raspberry Pi): enrol this kiosk again — revoke it in the office, then use a new code.",
        )
    key = PinKey(bytes.fromhex(key_hex))
    staff = session.execute(
        select(CentralStaff.id, CentralStaff.pin_hash).where(CentralStaff.school_id == device.school_id)
    )
    return SealedPins(staff=[SealedPin(id=i, pin_hash=seal_pin_hash(h, key)) for i, h in staff])
