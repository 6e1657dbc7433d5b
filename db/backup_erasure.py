"""An erasure reaches every copy the kiosk holds, not only its live database.

When the school erases a child's personal data (sync.server.office.erasure), the kiosk learns it at its
next pull: the child's name and the names and phones of the people it could call come back as the
erased mark. The live file then holds only that (secure_delete, the WAL truncated), but each backup
made before still holds the old values for as long as it is kept. So each backup is rewritten: a copy
of it gets those children's rows and their callees' rows from the live database (with secure_delete,
so the old cells are zeroed), is checked, flushed and renamed over the backup, keeping its name and
time. A backup that cannot be rewritten (a full card, a backup that no longer checks out) is deleted:
the erasure wins over the copy. A damaged file set aside (`kiosk-replaced-…`) cannot be rewritten
either (it is damaged), so an erasure deletes it before its REPLACED_KEPT_FOR is up.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import uuid
from collections.abc import Collection
from pathlib import Path

from db.backups import check_database, list_backups, replaced_files
from db.private_files import FILE_MODE, flush_to_disk

log = logging.getLogger(__name__)

# The rows that carry a child's personal data on a kiosk, and the column naming the child in each.
_PERSONAL = (("children", "id"), ("contacts", "child_id"))


def erase_from_backups(db_path: Path, child_ids: Collection[uuid.UUID]) -> list[Path]:
    """Bring the erased children's rows in every backup in line with the live database at `db_path`
    and delete the damaged files set aside. Returns the files deleted (not rewritten)."""
    if not child_ids:
        return []
    keys = [child_id.hex for child_id in child_ids]  # how SQLAlchemy's Uuid is stored in SQLite
    deleted = []
    for backup in list_backups(db_path):
        try:
            _rewrite(backup.path, db_path, keys)
        except (OSError, sqlite3.Error) as exc:
            log.error("could not rewrite the backup %s after an erasure, deleted it: %s", backup.path, exc)
            backup.path.unlink(missing_ok=True)
            deleted.append(backup.path)
    for path, _replaced_at in replaced_files(db_path):
        log.warning("deleted %s: it may hold erased personal data and cannot be rewritten", path.name)
        path.unlink(missing_ok=True)
        deleted.append(path)
    log.info("an erasure of %d children reached the backups of %s", len(keys), db_path)
    return deleted


def _rewrite(backup: Path, live: Path, keys: list[str]) -> None:
    partial = backup.with_name(backup.name + ".part")
    try:
        _copy_file(backup, partial)
        with contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as connection:
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute("ATTACH DATABASE ? AS live", (f"file:{live}?mode=ro",))
            connection.execute("BEGIN IMMEDIATE")
            for table, key in _PERSONAL:
                _take_live_rows(connection, table, key, keys)
            connection.execute("COMMIT")
            connection.execute("DETACH DATABASE live")
        problem = check_database(partial)
        if problem is not None:
            raise sqlite3.DatabaseError(f"the rewritten copy does not check out: {problem}")
        flush_to_disk(partial)
        os.replace(partial, backup)
        flush_to_disk(backup.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def _take_live_rows(connection: sqlite3.Connection, table: str, key: str, keys: list[str]) -> None:
    """Every column both files have, copied from the live row with the same id; a row the live file
    no longer has is deleted from the copy."""
    columns = [c for c in _columns(connection, "main", table) if c in _columns(connection, "live", table)]
    values = [c for c in columns if c != "id"]
    if not values:
        return
    marks = ", ".join("?" for _ in keys)
    names = ", ".join(f'"{c}"' for c in values)
    connection.execute(
        f'UPDATE main."{table}" SET ({names}) = '  # noqa: S608 - names read from the file's own schema
        f'(SELECT {names} FROM live."{table}" AS l WHERE l.id = main."{table}".id) '
        f'WHERE "{key}" IN ({marks}) AND id IN (SELECT id FROM live."{table}")',
        keys,
    )
    connection.execute(
        f'DELETE FROM main."{table}" WHERE "{key}" IN ({marks}) '  # noqa: S608
        f'AND id NOT IN (SELECT id FROM live."{table}")',
        keys,
    )


def _columns(connection: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _copy_file(source: Path, target: Path) -> None:
    descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    with source.open("rb") as reading, open(descriptor, "wb") as writing:
        while chunk := reading.read(1 << 20):
            writing.write(chunk)
