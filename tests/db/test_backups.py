"""Backups of a real kiosk database: consistent while the kiosk writes, checked, private, rotated;
a damaged file is replaced by the newest backup that checks out, and the damaged one is kept."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.backups import (
    BackupFailed,
    check_database,
    list_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    restore_backup,
)
from db.models import Visit
from kiosk.services.daily_backup import back_up_if_due
from kiosk.services.database_check import check_or_restore
from kiosk.services.database_open import open_checked_database
from kiosk.services.errors import DatabaseDamaged
from tests.conftest import Room
from tests.support.full_card import fill, tmpfs

REPO = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def visits_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM visits").fetchone()[0]


def damage(path: Path) -> None:
    """Overwrite the middle of a b-tree page, as a torn write on a failing card would."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    with path.open("r+b") as file:
        for page in range(2, min(pages, 40), 3):
            file.seek(page * page_size + 8)
            file.write(b"\xa5" * 64)
    assert check_database(path) is not None


def test_a_backup_made_while_the_kiosk_writes_is_whole_private_and_named(room: Room, db_path: Path) -> None:
    room.tap(0)
    backup = make_backup(db_path, "daily", WHEN)
    room.tap(1)  # after the copy: not in it
    assert backup.path.name == "kiosk-daily-20261123T130000Z.sqlite3"
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert check_database(backup.path) is None
    assert visits_in(backup.path) == 1
    assert not list(backup.path.parent.glob("*.part"))
    with room.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 2


def test_rotation_keeps_the_newest_daily_ones_and_those_made_for_upgrades(db_path: Path) -> None:
    for day in range(5):
        make_backup(db_path, "daily", WHEN + timedelta(days=day))
    make_backup(db_path, "upgrade", WHEN)
    deleted = prune_backups(db_path, keep_daily=3)
    assert len(deleted) == 2
    kept = list_backups(db_path)
    assert [b.reason for b in kept] == ["daily", "daily", "daily", "upgrade"]
    assert kept[0].made_at == WHEN + timedelta(days=4)


def test_a_damaged_database_is_replaced_by_the_newest_good_backup_and_kept_aside(
    room: Room, db_path: Path
) -> None:
    room.tap(0)
    older = make_backup(db_path, "daily", WHEN)
    rotten = make_backup(db_path, "daily", WHEN + timedelta(days=1))
    damage(rotten.path)  # the newest backup rotted too: the one before it is used
    room.tap(1)
    room.uow.engine.dispose()
    damage(db_path)

    restored = check_or_restore(db_path)

    assert restored is not None and restored.backup.path == older.path
    assert newest_good_backup(db_path) == older
    assert check_database(db_path) is None and visits_in(db_path) == 1
    assert restored.aside.exists() and check_database(restored.aside) is not None  # kept for rescue
    assert check_or_restore(db_path) is None  # whole now


def test_a_damaged_database_without_a_good_backup_is_refused_by_name(db_path: Path) -> None:
    damage(db_path)
    with pytest.raises(DatabaseDamaged) as refused:
        open_checked_database(db_path)
    assert refused.value.params["path"] == str(db_path)
    assert db_path.exists()  # nothing deleted


def test_a_backup_that_does_not_check_out_is_not_restored(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupFailed):
        restore_backup(db_path, bad)
    assert check_database(db_path) is None


def test_the_command_line_backs_up_lists_and_restores(room: Room, db_path: Path, tmp_path: Path) -> None:
    room.tap(0)
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path / "data")}

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kiosk", *args, "--db", str(db_path)]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=60)

    made = kiosk("backup", "--reason", "upgrade")
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert backup.exists() and "-upgrade-" in backup.name
    assert str(backup) in kiosk("backups").stdout
    room.tap(1)
    room.uow.engine.dispose()
    restored = kiosk("restore-backup", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert visits_in(db_path) == 1
    refused = kiosk("restore-backup", str(tmp_path / "missing.sqlite3"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr


def test_the_daily_backup_is_made_once_a_day_and_rotated(db_path: Path) -> None:
    assert back_up_if_due(db_path, keep=2, now=WHEN) is not None
    assert back_up_if_due(db_path, keep=2, now=WHEN + timedelta(hours=23)) is None
    for day in (1, 2, 3):
        assert back_up_if_due(db_path, keep=2, now=WHEN + timedelta(days=day)) is not None
    assert [b.made_at for b in list_backups(db_path)] == [WHEN + timedelta(days=3), WHEN + timedelta(days=2)]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_backup_on_a_full_card_leaves_nothing_half_keeps_the_older_ones_and_is_made_once_space_returns(
    db_path: Path, tmp_path: Path
) -> None:
    with tmpfs(tmp_path / "card", f"{3 * db_path.stat().st_size // 1024 + 512}k") as card:
        database = card / "kiosk.sqlite3"
        shutil.copyfile(db_path, database)
        older = make_backup(database, "daily", WHEN - timedelta(days=2))
        filler = fill(card)

        with pytest.raises(BackupFailed, match="is full: no backup made, the older ones kept"):
            back_up_if_due(database, keep=1, now=WHEN)
        assert [b.path for b in list_backups(database)] == [older.path]  # not rotated away for nothing
        assert not list((card / "backups").glob("*.part")) and check_database(older.path) is None

        filler.unlink()
        assert check_database(database) is None
        made = back_up_if_due(database, keep=1, now=WHEN)  # the next hourly look
        assert made is not None and check_database(made) is None
        assert [b.path for b in list_backups(database)] == [made]
