"""The device token, in a file only the kiosk's user can read (0600), beside the kiosk's database.

Not in the database: the SQLite file gets copied (backups, a support request, a demo), and a copy must
not be able to sync as this kiosk. Written to a temporary file and renamed, so a power cut leaves the
old token or the new one, never half of one. Never logged.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from db.private_files import private_folder

SUFFIX = ".sync-token"


def token_path_for(db_path: Path | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def save_token(path: Path, token: str) -> None:
    _write_durably(path, token)


def staged_token_path(path: Path, device_id: uuid.UUID) -> Path:
    return path.with_name(f"{path.name}.{device_id}")


def stage_token(path: Path, device_id: uuid.UUID, token: str) -> None:
    """Keep a new identity's token beside the current one until the database has taken that identity
    (sync.client.new_identity): a power cut between the two must not pair one's token with the other."""
    _write_durably(staged_token_path(path, device_id), token)


def settle_staged_token(path: Path, device_id: uuid.UUID) -> None:
    """Finish or forget a new identity's staged token: it becomes the token once the database names its
    device, and is dropped if the database never took that identity (its device stays unused on the
    server, where the office can revoke it)."""
    for staged in path.parent.glob(f"{path.name}.*-*-*-*-*"):
        if staged == staged_token_path(path, device_id):
            os.replace(staged, path)
            _sync_folder(path.parent)
        else:
            staged.unlink(missing_ok=True)


def _write_durably(path: Path, token: str) -> None:
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
    _sync_folder(path.parent)


def _sync_folder(folder_path: Path) -> None:
    folder = os.open(folder_path, os.O_RDONLY)  # a rename is durable only once its folder is synced
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def load_token(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None
