"""Student numbers kept without the ID numbers inside them.

The national student number (全国学籍号) is "G" followed by the child's 18-character ID number, so
keeping it as typed keeps the ID number (domain.md). The office keeps instead:

- a keyed hash (HMAC-SHA256) of every student number, to know a child again when the next roster
  comes in. The key is the server's secret file (like its TLS key, outside the database and its
  backups): an ID number has too few possibilities (birthday, county, a sequence) for a plain hash
  to hide it from anyone holding a dump;
- what the office shows: a school's own short number as it is, or, for a number with an ID number in
  it, only its last four characters (G****4072).

A number typed with or without the "G" is one child. The database remembers a fingerprint of the key
(sync.server.models.SecretCheck), so a server started with another key file refuses to run instead
of failing to recognise every child at the next import.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir
from sqlalchemy.orm import Session

SECRET_FILE_ENV = "SYNC_SECRET_FILE"
KEY_PURPOSE = "student_numbers"  # the KeyCheck row of this key
SESSION_KEY = "student_key"  # where a session carries it (sync.server.core.database)
KEY_BYTES = 32
_CHECK_LABEL = b"liushou student numbers"
# An ID number (18 characters, the last a digit or X; or the old 15 digits), alone or after the
# national number's letter.
_ID_INSIDE = re.compile(r"^([A-Z]?)(\d{17}[\dX]|\d{15})$")
_MASKED = re.compile(r"^([A-Z]?)\*{2,}([0-9A-Z]{4})$")
SHOWN = 4  # characters of an ID-bearing number the office shows


class SecretMismatch(RuntimeError):
    """The key file is missing or is not the one this database's student numbers were hashed with."""


class NoStudentKey(RuntimeError):
    """A session not opened through the server's database (`CentralDatabase`) has no key."""


def student_key_of(session: Session) -> StudentKey:
    key = session.info.get(SESSION_KEY)
    if key is None:
        raise NoStudentKey("open sessions through CentralDatabase.writes()/reads(): they carry the key")
    return key


def default_secret_file() -> Path:
    return Path(user_config_dir("liushou-server")) / "secret.key"


def secret_file_path(explicit: str | Path | None = None) -> Path:
    chosen = explicit or os.environ.get(SECRET_FILE_ENV)
    return Path(chosen) if chosen else default_secret_file()


def canonical(number: str) -> str:
    """The number as compared: full-width folded, spaces gone, upper case, and the "G" of a national
    number dropped (G + the ID number and the ID number alone are the same child)."""
    text = "".join(unicodedata.normalize("NFKC", number).split()).upper()
    found = _ID_INSIDE.match(text)
    if found and found.group(1) == "G":
        return found.group(2)
    return text


def holds_id_number(number: str) -> bool:
    return _ID_INSIDE.match("".join(unicodedata.normalize("NFKC", number).split()).upper()) is not None


def shown(number: str) -> str:
    """What the office shows and exports: the number itself, or G****4072 when an ID number is in it."""
    text = "".join(unicodedata.normalize("NFKC", number).split()).upper()
    found = _ID_INSIDE.match(text)
    if found is None:
        return text
    return f"{found.group(1)}****{found.group(2)[-SHOWN:]}"


def masked_parts(number: str) -> tuple[str, str] | None:
    """(letter, last four) of a number the office itself masked (G****4072), as its export writes it;
    None for any other text."""
    found = _MASKED.match("".join(unicodedata.normalize("NFKC", number).split()).upper())
    return (found.group(1), found.group(2)) if found else None


@dataclass(frozen=True)
class StudentKey:
    secret: bytes
    path: Path | None = None

    def digest(self, number: str) -> str:
        return hmac.new(self.secret, canonical(number).encode(), hashlib.sha256).hexdigest()

    def fingerprint(self) -> str:
        """Says which key this is without saying anything about it."""
        return hmac.new(self.secret, _CHECK_LABEL, hashlib.sha256).hexdigest()

    @classmethod
    def load(cls, path: Path) -> StudentKey:
        for _ in range(50):  # another process may be writing it this very moment
            secret = path.read_bytes()
            if len(secret) >= KEY_BYTES:
                return cls(secret[:KEY_BYTES], path)
            time.sleep(0.02)
        raise SecretMismatch(f"{path} is not a key file (too short); restore it from its backup")

    @classmethod
    def load_or_create(cls, path: Path) -> StudentKey:
        """The key in `path`, made (random, readable by this user only) if there is none yet."""
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return cls.load(path)
            try:
                os.write(handle, secrets.token_bytes(KEY_BYTES))
                os.fsync(handle)
            finally:
                os.close(handle)
        return cls.load(path)


def key_for_database(path: Path, fingerprint: str | None) -> StudentKey:
    """The key for a database that remembers `fingerprint` (None: it has never hashed with one, so a
    missing file is made). Refuses a missing or different file rather than start with a key that
    recognises nobody."""
    if fingerprint is None:
        return StudentKey.load_or_create(path)
    if not path.exists():
        raise SecretMismatch(
            f"the server's secret file {path} is missing, but this database's student numbers were "
            f"hashed with it: restore it from its backup (or name it with --secret-file / {SECRET_FILE_ENV})"
        )
    key = StudentKey.load(path)
    if not hmac.compare_digest(key.fingerprint(), fingerprint):
        raise SecretMismatch(
            f"{path} is not the secret file this database's student numbers were hashed with: "
            f"restore the right one from its backup (or name it with --secret-file / {SECRET_FILE_ENV})"
        )
    return key
