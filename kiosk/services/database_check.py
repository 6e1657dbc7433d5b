"""The database is checked before the kiosk opens it, and a damaged file is replaced by the newest
backup that checks out, so a room whose SD card was damaged by a power cut comes back by itself.

The full check reads every page (seconds on a Pi's SD card with years of history), so it runs only
when it can find something: after a run that did not stop cleanly (a power cut, kill -9, a crash) or
when the file changed since (its size or time differ from the clean stop's note). A kiosk stopped by
closing its window or by systemd starts without it.

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
    aside: Path  # where the damaged file was moved (nothing there when the file was missing)

    @property
    def made_at(self) -> datetime:
        return self.backup.made_at

    def words(self, when: str) -> tuple[str, dict[str, str]]:
        """The message key and its parameters that say what was restored."""
        if not self.aside.exists():
            return "startup.restored_lost", {"when": when}
        return "startup.restored", {"when": when, "aside": self.aside.name}


def check_or_restore(db_path: Path) -> Restored | None:
    """None when the file is whole (or new); Restored after putting the newest good backup in its place.
    Raises DatabaseDamaged when it is damaged and no backup checks out.

    A file that is missing or empty (zero bytes) is new only where there are no backups: beside
    backups it is a database the card lost, and a kiosk that started on it afresh would load demo
    data, or ask to be enrolled, and back the empty file up over the good copies."""
    stopped_cleanly = took_clean_stop(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        if not list_backups(db_path):
            return None
        problem = "missing" if not db_path.exists() else "empty (zero bytes)"
    elif stopped_cleanly:
        note_check(db_path, "clean_stop")
        return None
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


def clean_stop_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".stopped-cleanly")


def note_clean_stop(db_path: Path) -> None:
    """The kiosk closed its database itself (window closed, systemd's stop): the file's size and time
    then, so the next start knows nothing touched it since and can skip reading every page."""
    try:
        done = db_path.stat()
        note = {"size": done.st_size, "mtime_ns": done.st_mtime_ns}
        clean_stop_path(db_path).write_text(json.dumps(note), encoding="utf-8")
    except OSError as exc:  # a full or read-only card: the next start simply checks the file
        log.warning("could not note the clean stop: %s", exc)


def took_clean_stop(db_path: Path) -> bool:
    """True when the last run stopped cleanly and the file is as it left it. The note is used up
    here: a run that then dies by a power cut or kill -9 leaves none, and its next start checks."""
    path = clean_stop_path(db_path)
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        now = db_path.stat()
    except (OSError, ValueError):
        return False
    return note == {"size": now.st_size, "mtime_ns": now.st_mtime_ns}


def check_note_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".checked")


def note_check(db_path: Path, result: str, now: datetime | None = None) -> None:
    """The last check's time and result (ok, restored, damaged, clean_stop), for the health report (a
    few bytes, once a start)."""
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
