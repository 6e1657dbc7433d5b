"""The database is checked before the kiosk opens it, and a damaged file is replaced by the newest
backup that checks out, so a room whose SD card was damaged by a power cut comes back by itself.

`PRAGMA quick_check` reads every page's structure, not every index entry against its table: it catches
what a torn write or a failing card does to pages, in a fraction of integrity_check's time. The
damaged file is moved aside, never deleted. What the kiosk recorded after the backup was made is lost
from this file; what it had already synced is on the school's server. The screen says so, with the
backup's time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db.backups import Backup, check_database, list_backups, newest_good_backup, restore_backup
from kiosk.services.errors import DatabaseDamaged

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Restored:
    backup: Backup
    aside: Path  # where the damaged file was moved

    @property
    def made_at(self) -> datetime:
        return self.backup.made_at


def check_or_restore(db_path: Path) -> Restored | None:
    """None when the file is whole (or new); Restored after putting the newest good backup in its place.
    Raises DatabaseDamaged when it is damaged and no backup checks out.

    A file that is missing or empty (zero bytes) is new only where there are no backups: beside
    backups it is a database the card lost, and a kiosk that started on it afresh would load demo
    data, or ask to be enrolled, and back the empty file up over the good copies."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        if not list_backups(db_path):
            return None
        problem = "missing" if not db_path.exists() else "empty (zero bytes)"
    else:
        problem = check_database(db_path)
    if problem is None:
        note_check(db_path, "ok")
        return None
    log.error("the database %s is damaged: %s", db_path, problem)
    backup = newest_good_backup(db_path)
    if backup is None:
        log.error("no backup of %s checks out; the kiosk cannot start on it", db_path)
        note_check(db_path, "damaged")
        raise DatabaseDamaged(path=str(db_path))
    aside = restore_backup(db_path, backup.path)
    note_check(db_path, "restored")
    log.warning(
        "restored %s from the backup of %s; the damaged file is kept as %s", db_path, backup.made_at, aside
    )
    return Restored(backup, aside)


def check_note_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".checked")


def note_check(db_path: Path, result: str, now: datetime | None = None) -> None:
    """The last check's time and result (ok, restored, damaged), for the health report (a few bytes,
    once a start)."""
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    try:
        check_note_path(db_path).write_text(json.dumps({"at": at, "result": result}), encoding="utf-8")
    except OSError as exc:  # a read-only or full card: the check still happened, only the note is lost
        log.warning("could not note the database check: %s", exc)


def last_check(db_path: Path) -> tuple[datetime, str] | None:
    try:
        note = json.loads(check_note_path(db_path).read_text(encoding="utf-8"))
        return datetime.fromisoformat(note["at"]), str(note["result"])
    except (OSError, ValueError, KeyError):
        return None
