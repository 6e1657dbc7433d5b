"""Staff PINs are hashed with scrypt (memory-hard, in the standard library) and a per-PIN salt.

A 4-8 digit PIN has little entropy: anyone holding one of these hashes tries all 10,000 four-digit PINs
in minutes. So this format lives only where the PIN is set (the school's server); what a kiosk keeps
on its SD card is the hash sealed with a key that is not on the SD card (`db.pin_seal`), and the
kiosk's escalating lockout (kiosk.services.staff) stops guessing at the screen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


@dataclass(frozen=True, slots=True)
class ScryptHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def digest_of(self, pin: str) -> bytes:
        """What scrypt makes of `pin` with this hash's salt and costs."""
        size = len(self.digest)
        return hashlib.scrypt(pin.encode(), salt=self.salt, n=self.n, r=self.r, p=self.p, dklen=size)

    def params(self) -> list[str]:
        return [str(self.n), str(self.r), str(self.p), b64(self.salt)]


def hash_pin(pin: str) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValueError("a PIN is 4 to 8 digits")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join([_PREFIX, str(_N), str(_R), str(_P), b64(salt), b64(digest)])


def parse_pin_hash(stored: str) -> ScryptHash | None:
    """The parts of a `hash_pin` string, or None if it is not one."""
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX:
            return None
        return ScryptHash(int(n), int(r), int(p), unb64(salt), unb64(digest))
    except ValueError:
        return None


def verify_pin(pin: str, stored: str) -> bool:
    parsed = parse_pin_hash(stored)
    return parsed is not None and hmac.compare_digest(parsed.digest_of(pin), parsed.digest)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
