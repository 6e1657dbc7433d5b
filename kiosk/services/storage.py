"""Disk trouble as a refusal the screen can say: nothing was written, and here is why, naming the
path, in the room's language (db.storage_errors sorts the error; the messages are refusal.<code>).

A refusal, not an error, because the kiosk keeps running: what is stored stays stored, and the same
action works again once the card has room, the folder is writable or the other program lets go.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db.storage_errors import StorageTrouble, storage_trouble
from kiosk.services.errors import (
    DatabaseCannotOpen,
    DatabaseDamaged,
    DatabaseLocked,
    DataFolderReadOnly,
    DiskFull,
    Refusal,
)

log = logging.getLogger(__name__)

_REFUSALS: dict[StorageTrouble, type[Refusal]] = {
    StorageTrouble.DISK_FULL: DiskFull,
    StorageTrouble.READ_ONLY: DataFolderReadOnly,
    StorageTrouble.LOCKED: DatabaseLocked,
    StorageTrouble.DAMAGED: DatabaseDamaged,
    StorageTrouble.CANNOT_OPEN: DatabaseCannotOpen,
}


def storage_refusal(exc: BaseException, db_path: Path) -> Refusal | None:
    """The refusal for disk trouble behind `exc` (logged with the path), or None for anything else
    (a refusal among them: it already says what it means)."""
    trouble = storage_trouble(exc, db_path)
    if trouble is None:
        return None
    path = db_path.parent if trouble in (StorageTrouble.DISK_FULL, StorageTrouble.READ_ONLY) else db_path
    log.error("storage: %s at %s (%s)", trouble.value, path, exc)
    return _REFUSALS[trouble](path=str(path))


@contextmanager
def refused_on_storage_trouble(db_path: Path) -> Iterator[None]:
    """Inside it, disk trouble leaves as the refusal that says it; any other exception as it was."""
    try:
        yield
    except Exception as exc:
        refusal = storage_refusal(exc, db_path)
        if refusal is None:
            raise
        raise refusal from exc
