"""Copies of the kiosk's database that can bring a room back after a damaged SD card or a bad upgrade.

A backup is made with SQLite's online backup API, so it is a consistent copy even while the kiosk
writes (a plain file copy of a WAL database can catch it half-way). It is written under a temporary
name, checked with `PRAGMA quick_check` and fsynced before it is renamed into place: a backup that
exists under its final name is whole and was good when made. A disk that fills up mid-copy leaves no
half backup behind, only the error.

Names carry their reason and time (`kiosk-daily-20261124T021500Z.sqlite3`), so the folder explains
itself to a technician with `ls`. Daily backups are kept `keep_daily` deep; backups made for a reason
(before an upgrade, before a restore) are kept `keep_other` deep per reason and no longer than
OTHER_KEPT_FOR; a damaged file set aside (`kiosk-replaced-…`) is deleted REPLACED_KEPT_FOR after it was
replaced. Whatever the counts say, the newest backup that checks out and holds the room's data is never
deleted: a database emptied by accident (a zero-byte file) must not push the last good copy out.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.private_files import FILE_MODE, flush_to_disk, private_folder
from db.storage_errors import StorageTrouble, storage_trouble

DAILY = "daily"
OTHER_KEPT_FOR = timedelta(days=30)  # backups made for a reason (upgrade, manual, restore …)
REPLACED_KEPT_FOR = timedelta(days=30)  # a damaged file set aside, for someone to rescue rows from
_NAME = re.compile(r"^(?P<stem>.+)-(?P<reason>[a-z][a-z0-9-]*)-(?P<at>\d{8}T\d{6}Z)\.sqlite3$")
_TIME = "%Y%m%dT%H%M%SZ"
# Tables whose rows are the room's own: a file with none of them holds nothing worth restoring.
_ROOM_TABLES = ("children", "staff", "cards", "visits", "outbox_events", "sync_state")


class BackupFailed(Exception):
    """The copy could not be made or did not check out; nothing was left under a backup's name."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    reason: str
    made_at: datetime

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_folder(db_path: Path) -> Path:
    """Beside the database, so a restore never has to cross a file system."""
    return db_path.parent / "backups"


def make_backup(db_path: Path, reason: str = DAILY, now: datetime | None = None) -> Backup:
    """A checked copy of the database at `db_path` in its backup folder."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", reason):
        raise ValueError(f"a backup's reason is lower-case letters, digits and '-', not {reason!r}")
    if not db_path.is_file():
        raise BackupFailed(f"there is no database at {db_path}")
    made_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = backup_folder(db_path)
    final = folder / f"{db_path.stem}-{reason}-{made_at:{_TIME}}.sqlite3"
    partial = final.with_name(final.name + ".part")
    try:
        if _table_count(db_path) == 0:  # a zero-byte file reads as a valid, empty database
            raise BackupFailed(f"{db_path} is empty: no backup made, the older ones kept")
        private_folder(folder)
        _copy(db_path, partial)
        problem = None if checks_out(partial) else "quick_check failed"
        if problem is not None:
            raise BackupFailed(f"the copy of {db_path} did not check out: {problem}")
        os.replace(partial, final)
        flush_to_disk(folder)
    except (OSError, sqlite3.Error) as exc:
        # Asked before the partial copy is removed: while it is there, a full card still looks full.
        if storage_trouble(exc, partial) is StorageTrouble.DISK_FULL:
            raise BackupFailed(
                f"the card holding {folder} is full: no backup made, the older ones kept"
            ) from exc
        raise BackupFailed(f"could not back up {db_path} into {folder}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return Backup(final, reason, made_at)


def check_database(path: Path) -> str | None:
    """None when SQLite's quick check finds the file whole; else what it says is wrong. A file that
    cannot be read at all (missing, locked, a folder it may not use) is not "damaged": that error is
    raised as it is, so nobody replaces a good database because another program holds its lock."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return str(exc)
        raise
    return None if rows == ["ok"] else "; ".join(rows[:3])


def checks_out(path: Path) -> bool:
    """True when the file can be read and SQLite's quick check finds it whole."""
    try:
        return check_database(path) is None
    except sqlite3.Error:
        return False


def list_backups(db_path: Path) -> list[Backup]:
    """This database's backups, newest first."""
    found = []
    folder = backup_folder(db_path)
    for path in folder.glob("*.sqlite3") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == db_path.stem:
            made_at = datetime.strptime(match["at"], _TIME).replace(tzinfo=UTC)
            found.append(Backup(path, match["reason"], made_at))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def holds_data(path: Path) -> bool:
    """True when the file has rows of the room's own (children, staff, cards, visits, events, an
    enrolment), not only an empty schema."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            return any(
                connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None  # noqa: S608
                for table in _ROOM_TABLES
                if table in tables
            )
    except sqlite3.Error:
        return False


def newest_good_backup(db_path: Path) -> Backup | None:
    """The newest backup that still checks out (a backup can rot on a failing card too) and holds the
    room's data; a good backup without any only when there is no other."""
    good = [b for b in list_backups(db_path) if checks_out(b.path)]
    return next((b for b in good if holds_data(b.path)), good[0] if good else None)


def prune_backups(
    db_path: Path, keep_daily: int, keep_other: int = 3, now: datetime | None = None
) -> list[Path]:
    """Delete the oldest backups beyond what is kept, backups made for a reason once older than
    OTHER_KEPT_FOR, and damaged files set aside once older than REPLACED_KEPT_FOR; never the newest
    backup that checks out and holds data. Returns what was deleted."""
    now = now or datetime.now(UTC)
    backups = list_backups(db_path)
    protected: list[Backup | None] = []  # found only when something is to go (it reads the files)
    kept: dict[str, int] = {}
    deleted = []
    for backup in backups:
        kept[backup.reason] = kept.get(backup.reason, 0) + 1
        too_many = kept[backup.reason] > (keep_daily if backup.reason == DAILY else keep_other)
        too_old = backup.reason != DAILY and now - backup.made_at > OTHER_KEPT_FOR
        if (too_many or too_old) and not protected:
            protected.append(next((b for b in backups if checks_out(b.path) and holds_data(b.path)), None))
        if (too_many or too_old) and backup != protected[0]:
            backup.path.unlink(missing_ok=True)
            deleted.append(backup.path)
    for path, replaced_at in replaced_files(db_path):
        if now - replaced_at > REPLACED_KEPT_FOR:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def replaced_files(db_path: Path) -> list[tuple[Path, datetime]]:
    """The damaged files restore_backup set aside (with their -wal and -shm), and when."""
    found = []
    pattern = re.compile(
        rf"^{re.escape(db_path.stem)}-replaced-(\d{{8}}T\d{{6}}Z){re.escape(db_path.suffix)}"
    )
    for path in db_path.parent.glob(f"{db_path.stem}-replaced-*"):
        if match := pattern.match(path.name):
            found.append((path, datetime.strptime(match[1], _TIME).replace(tzinfo=UTC)))
    return sorted(found)


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None) -> Path:
    """Put a checked backup in place of the database; the file it replaces (and its -wal and -shm)
    is moved aside, never deleted: a damaged file may still hold rows someone can rescue. The kiosk
    must not have the database open. Returns where the old file went."""
    try:
        problem = check_database(backup)
    except sqlite3.Error as exc:
        problem = str(exc)
    if problem is not None:
        raise BackupFailed(f"the backup {backup} does not check out: {problem}")
    stamp = f"{(now or datetime.now(UTC)).astimezone(UTC):{_TIME}}"
    aside = db_path.with_name(f"{db_path.stem}-replaced-{stamp}{db_path.suffix}")
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        _copy_file(backup, incoming)
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{db_path}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{aside}{suffix}"))
        os.replace(incoming, db_path)
        flush_to_disk(db_path.parent)
    except OSError as exc:
        raise BackupFailed(f"could not restore {backup} over {db_path}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            incoming.unlink()
    return aside


def _table_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]


def _copy(source: Path, target: Path) -> None:
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE))
    with _connection(source) as src, _connection(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    flush_to_disk(target)


def _copy_file(source: Path, target: Path) -> None:
    descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    with source.open("rb") as reading, open(descriptor, "wb") as writing:
        while chunk := reading.read(1 << 20):
            writing.write(chunk)
        writing.flush()
        os.fsync(writing.fileno())


@contextlib.contextmanager
def _connection(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()
