"""What the backups keep when something has gone wrong: an emptied database is not backed up over the
good copies, the newest backup that holds the room's data is never rotated away, and copies made for a
reason and damaged files set aside do not stay for ever."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.backups import (
    BackupFailed,
    holds_data,
    list_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    restore_backup,
)
from tests.conftest import Room

WHEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def visits_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM visits").fetchone()[0]


def empty_schema(path: Path, like: Path) -> None:
    """A file with the kiosk's tables and no row in any: what a kiosk started on a lost file makes."""
    with sqlite3.connect(like) as source, sqlite3.connect(path) as target:
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
        ):
            target.execute(sql)


def test_a_zero_byte_database_is_not_backed_up_and_the_good_backups_stay(room: Room, db_path: Path) -> None:
    room.tap(0)
    good = make_backup(db_path, "daily", WHEN)
    room.uow.engine.dispose()
    db_path.write_bytes(b"")  # the card lost the file's contents

    with pytest.raises(BackupFailed, match="is empty"):
        make_backup(db_path, "daily", WHEN + timedelta(days=1))

    assert list_backups(db_path) == [good]
    assert not list(good.path.parent.glob("*.part"))


def test_backups_without_data_never_rotate_away_the_newest_one_that_holds_it(
    room: Room, db_path: Path, tmp_path: Path
) -> None:
    room.tap(0)
    with_data = make_backup(db_path, "daily", WHEN)
    room.uow.engine.dispose()
    emptied = tmp_path / "emptied"
    emptied.mkdir()
    empty_schema(emptied / db_path.name, db_path)
    for day in range(1, 9):  # eight days on a file that holds nothing, backed up every day
        backup = make_backup(emptied / db_path.name, "daily", WHEN + timedelta(days=day))
        backup.path.rename(with_data.path.parent / backup.path.name)

    prune_backups(db_path, keep_daily=7, now=WHEN + timedelta(days=9))

    kept = list_backups(db_path)
    assert with_data in kept and len(kept) == 8  # seven daily ones, and the one with the room in it
    assert not holds_data(kept[0].path) and holds_data(with_data.path)
    assert newest_good_backup(db_path) == with_data  # what a restore would choose
    assert visits_in(newest_good_backup(db_path).path) == 1


def test_backups_made_for_a_reason_and_files_set_aside_are_kept_thirty_days(
    room: Room, db_path: Path
) -> None:
    room.tap(0)
    old_upgrade = make_backup(db_path, "upgrade", WHEN - timedelta(days=40))
    recent_upgrade = make_backup(db_path, "upgrade", WHEN - timedelta(days=10))
    daily = make_backup(db_path, "daily", WHEN - timedelta(days=45))  # daily ones go by count
    room.uow.engine.dispose()
    old_aside = restore_backup(db_path, daily.path, now=WHEN - timedelta(days=31))
    recent_aside = restore_backup(db_path, daily.path, now=WHEN - timedelta(days=29))

    deleted = prune_backups(db_path, keep_daily=7, now=WHEN)

    assert set(deleted) == {old_upgrade.path, old_aside}
    assert set(list_backups(db_path)) == {recent_upgrade, daily}
    assert recent_aside.exists() and not old_aside.exists()


def test_the_only_backup_with_data_outlives_its_age_limit(room: Room, db_path: Path) -> None:
    room.tap(0)
    upgrade = make_backup(db_path, "upgrade", WHEN - timedelta(days=90))
    assert prune_backups(db_path, keep_daily=7, now=WHEN) == []
    assert list_backups(db_path) == [upgrade]
