"""What went wrong with the disk, in the room's terms, from whatever SQLite or the OS raised.

A full SD card, a data folder mounted read-only, another program holding the database's lock and a
damaged file each need a different sentence on the screen ("the card is full: delete old files" is
useless when the card is read-only), and SQLite's own "unable to open database file" names none of
them. The kiosk, the sync client and the backups all sort errors here, so they say the same thing.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from enum import Enum
from pathlib import Path

from sqlalchemy.exc import DBAPIError


class StorageTrouble(Enum):
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    LOCKED = "locked"
    DAMAGED = "damaged"
    CANNOT_OPEN = "cannot_open"


_BY_ERRNO = {
    errno.ENOSPC: StorageTrouble.DISK_FULL,
    errno.EDQUOT: StorageTrouble.DISK_FULL,
    errno.EROFS: StorageTrouble.READ_ONLY,
    errno.EACCES: StorageTrouble.READ_ONLY,
    errno.EPERM: StorageTrouble.READ_ONLY,
}
# SQLite's primary result codes (the part of an extended name before the second underscore).
_BY_SQLITE_NAME = {
    "SQLITE_FULL": StorageTrouble.DISK_FULL,
    "SQLITE_READONLY": StorageTrouble.READ_ONLY,
    "SQLITE_BUSY": StorageTrouble.LOCKED,
    "SQLITE_LOCKED": StorageTrouble.LOCKED,
    "SQLITE_CORRUPT": StorageTrouble.DAMAGED,
    "SQLITE_NOTADB": StorageTrouble.DAMAGED,
    "SQLITE_CANTOPEN": StorageTrouble.CANNOT_OPEN,
}


def storage_trouble(exc: BaseException, db_path: Path | None = None) -> StorageTrouble | None:
    """The kind of disk trouble behind `exc`, or None when it is not about storage."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, OSError):
        return _BY_ERRNO.get(exc.errno or 0)
    if not isinstance(exc, sqlite3.Error):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    primary = "_".join(name.split("_")[:2])
    if primary == "SQLITE_IOERR":  # a write that failed below SQLite: a full card shows up here too
        return StorageTrouble.DISK_FULL if _folder_is_full(db_path) else None
    trouble = _BY_SQLITE_NAME.get(primary)
    if trouble is StorageTrouble.CANNOT_OPEN and db_path is not None and not _writable(db_path.parent):
        return StorageTrouble.READ_ONLY  # SQLite says "unable to open" when it may not create the -wal
    return trouble


def _writable(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    try:
        return os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY
    except OSError:
        return False


def _folder_is_full(db_path: Path | None) -> bool:
    if db_path is None:
        return False
    try:
        return os.statvfs(db_path.parent).f_bavail == 0
    except OSError:
        return False
