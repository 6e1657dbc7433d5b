"""The device token, in a file only the kiosk's user can read (0600), beside the kiosk's database.

Not in the database: the SQLite file gets copied (backups, a support request, a demo), and a copy must
not be able to sync as this kiosk. Written to a temporary file and renamed, so a power cut leaves the
old token or the new one, never half of one. Never logged.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.private_files import private_folder

SUFFIX = ".sync-token"


def token_path_for(db_path: Path | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def save_token(path: Path, token: str) -> None:
    private_folder(path.parent)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # O_CREAT's mode does not apply to a leftover file from a crash
        os.write(fd, token.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)  # the rename is durable only once its folder is synced
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def load_token(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None
