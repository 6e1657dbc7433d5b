"""The simplest home for a kiosk's PIN seal key (db.pin_seal): 32 random bytes, as hex, in a 0600 file
beside the database (`kiosk.sqlite3.pin-key`).

What it protects: a copy of the database file on its own (a `.backup`, a file sent with a support
request) cannot test a single staff PIN. What it does not: it sits on the same SD card, so whoever
takes the card takes the key too. A Raspberry Pi can keep the key in its OTP memory instead, off the
card (kiosk.platform.device_key); this file is the fallback, and the kiosk says so in its log.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from db.pin_seal import PinKey
from db.private_files import flush_to_disk, keep_private, private_folder

SUFFIX = ".pin-key"


def pin_key_path_for(db_path: Path | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def file_pin_key(path: Path) -> PinKey:
    """The key in `path`, made on first use. Two processes starting at once (the kiosk and
    `python -m sync`) end up with the same key: the file appears whole or not at all (link)."""
    if not path.exists():
        _create(path)
    keep_private(path)
    text = path.read_text(encoding="ascii").strip()
    try:
        return PinKey(bytes.fromhex(text))
    except ValueError as exc:
        raise ValueError(f"{path} is not a PIN seal key (64 hex digits): restore it from its backup") from exc


def _create(path: Path) -> None:
    private_folder(path.parent)
    draft = path.with_name(f"{path.name}.{os.getpid()}.new")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, path)  # fails if another process got there first: its key wins
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
    # Durable before anything is sealed with it: a power cut must not keep the seals and lose the key.
    flush_to_disk(path.parent)
