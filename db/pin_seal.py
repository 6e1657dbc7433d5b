"""Staff PIN hashes as a kiosk stores them: sealed with a key that is not on the SD card.

The threat: a kiosk (or just its SD card) goes missing. A scrypt hash of a 4-digit PIN falls to a
search of all 10,000 PINs in minutes, and staff reuse PINs (phone, bank card). So the kiosk never
writes the scrypt hash it pulls from the school's server; it writes

    sealed1$<key id>$<n>$<r>$<p>$<salt>$<digest length>$<HMAC-SHA256(seal key, scrypt digest)>

To test a guess, one needs the seal key as well as the file. With the key in the Raspberry Pi's OTP
memory (kiosk.platform.device_key), someone holding only the SD card — or a copied database file — cannot test
a single PIN: the HMAC under an unknown 256-bit key is no better than random. Someone holding the
whole Pi can read the OTP key (it is readable by any OS booted on that board) and is back to minutes
per PIN: no offline check of a short PIN on a device the attacker holds can stop that; only the
lockout at the screen, the PIN being used for nothing else, and changing the PINs after a theft do.
See the README's threat model.

The school's server seals in the same format before it sends a verifier (sync.server.devices.
pin_seal_keys), with the kiosk's *agreed* key: derived here from the device key and given to the server
once, at enrolment. So what a kiosk's token can fetch is as useless without the device key as the file.

The key id (a short HMAC of the key) tells "sealed under another key" (the key file was lost, the
SD card moved to another Pi) apart from a wrong PIN, so the kiosk can say what to do.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from db.pin_hash import ScryptHash, b64, parse_pin_hash, unb64

SEALED = "sealed1"
UNUSABLE = "unusable"  # a hash the server sent that is not one: nobody can log in with it
WITHHELD = "withheld"  # the server keeps the verifier back: it has no agreed key for this kiosk yet
_SEAL_LABEL = b"liushou-kiosk staff PIN seal v1"
_ID_LABEL = b"liushou-kiosk staff PIN seal key id"
_AGREED_LABEL = b"liushou-kiosk staff PIN seal key agreed with the school's server v1"


class SealedUnderAnotherKey(ValueError):
    """The stored seal was made with another device key: the PIN cannot be checked here."""


@dataclass(frozen=True)
class PinKey:
    """The device's secret (at least 32 bytes), never stored in the database."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < 32:
            raise ValueError("a PIN seal key is at least 32 bytes")

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, _ID_LABEL, hashlib.sha256).hexdigest()[:12]

    def tag(self, digest: bytes) -> bytes:
        seal_key = hmac.new(self.secret, _SEAL_LABEL, hashlib.sha256).digest()
        return hmac.new(seal_key, digest, hashlib.sha256).digest()

    def __repr__(self) -> str:
        return f"PinKey(id={self.key_id})"  # never the secret, in a log or a traceback


def agreed_key(device_key: PinKey) -> PinKey:
    """The key this kiosk gives its school's server at enrolment, for the server to seal the verifiers
    it sends. Derived, not the device key itself: the server (or a leak of its database) never learns
    the key the kiosk's own seals are made with."""
    return PinKey(hmac.new(device_key.secret, _AGREED_LABEL, hashlib.sha256).digest())


def key_that_opens(sealed: str, device_key: PinKey) -> PinKey | None:
    """The key, of the device key and its agreed key, that `sealed` was made with; None if neither."""
    key_id = sealed.split("$")[1] if sealed.startswith(SEALED + "$") else None
    agreed = agreed_key(device_key)
    return {device_key.key_id: device_key, agreed.key_id: agreed}.get(key_id) if key_id else None


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED + "$") or stored == UNUSABLE


def seal_pin_hash(stored: str, key: PinKey) -> str:
    """The form a kiosk may write to disk for a `db.pin_hash.hash_pin` string (the server's)."""
    if is_sealed(stored):
        return stored
    parsed = parse_pin_hash(stored)
    if parsed is None:
        return UNUSABLE
    length = str(len(parsed.digest))
    return "$".join([SEALED, key.key_id, *parsed.params(), length, b64(key.tag(parsed.digest))])


def verify_sealed_pin(pin: str, sealed: str, key: PinKey) -> bool:
    """Whether `pin` is the PIN behind `sealed` (sealed by this kiosk with its device key `key`, or by
    the server with the key agreed from it); SealedUnderAnotherKey if neither can tell."""
    try:
        prefix, key_id, n, r, p, salt, length, tag = sealed.split("$")
        scrypt = ScryptHash(int(n), int(r), int(p), unb64(salt), bytes(int(length)))
    except ValueError:
        return False
    if prefix != SEALED:
        return False
    opening = key_that_opens(sealed, key)
    if opening is None:
        raise SealedUnderAnotherKey(key_id)
    return hmac.compare_digest(opening.tag(scrypt.digest_of(pin)), unb64(tag))
