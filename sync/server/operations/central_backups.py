"""The backup commands' entry points, for either kind of central database (chosen by its URL).

Where backups go: for SQLite, the `backups` folder beside the database file, as on a kiosk; for
PostgreSQL, the folder given (`--backup-dir`, else SYNC_BACKUP_DIR, else `backups` in the current
folder). The installed server keeps them in /var/lib/liushou-server/backups either way.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, make_url

from sync.server.operations import postgres_backup, sqlite_backup
from sync.server.operations.backup_store import (
    DAILY,
    KEEP_DAILY,
    BackupFailed,
    CheckResult,
    StoredBackup,
    list_backups,
    prune,
    record_check,
)

FOLDER_ENV = "SYNC_BACKUP_DIR"


@dataclass(frozen=True)
class BackupPlace:
    """One central database and the folder its backups live in."""

    url: str
    folder: Path
    stem: str
    sqlite_file: Path | None  # None for PostgreSQL

    @property
    def kind(self) -> str:
        return "postgresql" if self.sqlite_file is None else "sqlite"


def place_of(url: str, folder: str | Path | None = None) -> BackupPlace:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = Path(parsed.database or "").resolve()
        return BackupPlace(url, sqlite_backup.folder_of(database), database.stem, database)
    chosen = Path(folder or os.environ.get(FOLDER_ENV) or "backups").resolve()
    return BackupPlace(url, chosen, postgres_backup.STEM, None)


def backups_of(place: BackupPlace) -> list[StoredBackup]:
    return list_backups(place.folder, place.stem)


def make(
    place: BackupPlace,
    engine: Engine,
    reason: str = DAILY,
    keep_daily: int = KEEP_DAILY,
    now: datetime | None = None,
) -> tuple[StoredBackup, list[Path]]:
    """A new backup, then the rotation; returns it and what the rotation deleted."""
    if place.sqlite_file is None:
        made = postgres_backup.dump(engine, place.url, place.folder, reason, now)
    else:
        made = sqlite_backup.dump(place.sqlite_file, reason, now)
    return made, prune(place.folder, place.stem, keep_daily=keep_daily)


def find(place: BackupPlace, name: str) -> StoredBackup:
    """A backup by its file name (or its path), only from this database's folder."""
    wanted = Path(name).name
    for backup in backups_of(place):
        if backup.path.name == wanted:
            return backup
    raise BackupFailed(f"no backup called {wanted} in {place.folder}")


def restore(place: BackupPlace, engine: Engine, backup: StoredBackup, *, force: bool = False) -> str:
    """Put the database back as the backup holds it; returns what was done, in words."""
    if place.sqlite_file is None:
        others = postgres_backup.other_sessions(engine)
        if others and not force:
            raise BackupFailed(
                f"{others} other connection(s) to the database: stop the server first "
                "(sudo systemctl stop liushou-server), or add --force"
            )
        postgres_backup.restore(place.url, backup.path)
        return f"restored {backup.path.name} into the database"
    engine.dispose()
    aside = sqlite_backup.restore(place.sqlite_file, backup.path)
    return f"restored {backup.path.name}; the replaced file is kept as {aside}"


def check(place: BackupPlace, now: datetime | None = None) -> CheckResult:
    """The weekly check: the newest whole backup restored into a scratch database and counted again;
    every table must hold exactly the rows its manifest counted when the backup was made."""
    started = time.monotonic()
    checked_at = (now or datetime.now(UTC)).astimezone(UTC)
    newest = next((b for b in backups_of(place) if b.complete), None)
    if newest is None or newest.manifest is None:
        result = CheckResult(checked_at, "", None, False, ["no whole backup to check"])
        record_check(place.folder, result)
        return result
    expected = newest.manifest.counts
    try:
        if place.sqlite_file is None:
            found, revision = postgres_backup.counted_restore(place.url, newest.path)
        else:
            found, revision = sqlite_backup.counted_restore(newest.path)
    except BackupFailed as exc:
        found, revision, problems = {}, None, [str(exc)]
    else:
        problems = [
            f"{table}: {expected.get(table)} rows when made, {found.get(table)} after the restore"
            for table in sorted(set(expected) | set(found))
            if expected.get(table) != found.get(table)
        ]
        if revision != newest.manifest.revision:
            problems.append(f"schema {revision} after the restore, {newest.manifest.revision} when made")
    result = CheckResult(
        checked_at,
        newest.path.name,
        newest.made_at,
        not problems,
        problems,
        {table: (expected.get(table), found.get(table)) for table in sorted(set(expected) | set(found))},
        round(time.monotonic() - started, 1),
    )
    record_check(place.folder, result)
    return result
