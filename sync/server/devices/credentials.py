"""Device tokens and enrolment codes: random, shown once, stored as hashes, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Crockford's base32 without I, L, O, U: a code read aloud or copied by hand survives 0/O and 1/I/L.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 10  # 50 bits, one-time and expiring within hours


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    """What the administrator typed, as the code was generated: case, spaces and dashes do not matter."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def new_device_token() -> tuple[str, str, str]:
    """(token_id, secret, token as the kiosk stores it). The id is public; only the secret is hashed."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return token_id, secret, f"{token_id}.{secret}"


def split_token(token: str) -> tuple[str, str] | None:
    token_id, dot, secret = token.partition(".")
    if not dot or not token_id or not secret or len(token_id) > 32:
        return None
    return token_id, secret
