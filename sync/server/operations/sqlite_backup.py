"""Backups of a SQLite central database (a small school's server), made as the kiosk makes its own.

SQLite's online backup API copies a consistent snapshot while the server goes on writing, and the
copy is checked and synced before it takes its name (db.backups). The manifest is then counted from
the copy itself, which is that snapshot. A restore puts a checked backup in place of the file and
moves the old one aside, never deleting it; the server must be stopped for it.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from db import backups
from sync.server.operations.backup_store import (
    BackupFailed,
    Manifest,
    StoredBackup,
    manifest_path,
    size_and_digest,
    verify,
    write_private,
)

VERSION_TABLE = "alembic_version_central"


def folder_of(db_path: Path) -> Path:
    return backups.backup_folder(db_path)


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def schema_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def dump(db_path: Path, reason: str, now: datetime | None = None) -> StoredBackup:
    try:
        made = backups.make_backup(db_path, reason, now)
    except backups.BackupFailed as exc:
        raise BackupFailed(str(exc)) from exc
    with _read_only(made.path) as connection:
        counts, revision = table_counts(connection), schema_revision(connection)
    size, digest = size_and_digest(made.path)
    manifest = Manifest("sqlite", made.made_at, reason, size, digest, revision, counts)
    write_private(manifest_path(made.path), manifest.to_json())
    return StoredBackup(made.path, reason, made.made_at, manifest)


def restore(db_path: Path, backup: Path) -> Path:
    """Put `backup` in place of the database; returns where the replaced file went."""
    verify(backup)
    try:
        return backups.restore_backup(db_path, backup)
    except backups.BackupFailed as exc:
        raise BackupFailed(str(exc)) from exc


def counted_restore(backup: Path) -> tuple[dict[str, int], str | None]:
    """A copy of the backup in a scratch folder, whole by SQLite's integrity check, counted there."""
    verify(backup)
    with tempfile.TemporaryDirectory(prefix="liushou-restore-check-") as scratch:
        copy = Path(scratch) / "central.sqlite3"
        shutil.copyfile(backup, copy)
        connection = sqlite3.connect(copy)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupFailed(f"{backup.name} is damaged: {'; '.join(problems[:3])}")
            return table_counts(connection), schema_revision(connection)
        finally:
            connection.close()


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()
