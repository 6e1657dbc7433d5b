"""The database files hold children's names, their families' phone numbers and staff PIN material:
only the kiosk's (or the server's) own user may read them.

SQLite creates `-wal` and `-shm` with the permissions of the database file itself, so the file is
created 0600 before SQLite first opens it, and a file (or its `-wal` / `-shm`) left 0644 by an older
version is tightened on the next start. A folder we create is 0700; a folder that already exists is
left alone (it may be /tmp or a home directory, which are not ours to change).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")


def private_folder(folder: Path) -> None:
    """Create `folder` readable by this user only; an existing folder keeps its mode."""
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask; say exactly what we mean


def private_database_file(path: Path) -> None:
    """Make sure the SQLite file at `path` (and any -wal/-shm beside it) exists only as 0600."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE))
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        keep_private(candidate)


def keep_private(path: Path) -> None:
    """0600 for a file of ours that someone (a copy, an older version) left readable to others."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        try:
            os.chmod(path, FILE_MODE)
        except PermissionError:  # another user's file (an admin reading it as themselves)
            log.warning("%s is readable by other users and is not ours to change (mode %o)", path, mode)


def flush_to_disk(path: Path) -> None:
    """fsync a file, or a folder after a rename in it: the Pi may lose power at any moment, and a
    rename is only durable once its folder is."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
