"""Disk trouble on real file systems: a full tmpfs, a folder mounted read-only, another program holding
the database's lock. Each is a refusal that names the path; nothing stored is lost; a full card
recovers by itself once space is freed. (Mounting needs root, as `make test` runs in CI.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.clock import ManualClock
from db.models import Visit
from db.pin_key_file import pin_key_path_for
from kiosk.platform.words import refusal_message
from kiosk.services import signin
from kiosk.services.database_open import open_checked_database
from kiosk.services.errors import DatabaseLocked, DataFolderReadOnly, DiskFull
from tests.conftest import START, Room
from tests.support.full_card import fill, tmpfs

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


def room_in(folder: Path, db_path: Path) -> Room:
    """The demo room's database, copied onto `folder` (with its PIN key), opened as the kiosk does."""
    target = folder / "kiosk.sqlite3"
    shutil.copyfile(db_path, target)
    shutil.copy(pin_key_path_for(db_path), pin_key_path_for(target))
    uow, restored = open_checked_database(target, ManualClock(START))
    assert restored is None
    return Room(uow, uow.clock)  # type: ignore[arg-type]


def visits(room: Room) -> int:
    with room.uow.read() as session:
        return session.scalar(select(func.count()).select_from(Visit)) or 0


def test_a_full_card_refuses_the_tap_keeps_what_is_stored_and_recovers(tmp_path: Path, db_path: Path) -> None:
    with tmpfs(tmp_path / "card", "3m") as card:
        room = room_in(card, db_path)
        room.tap(0)
        with room.uow.engine.connect() as connection:  # an empty WAL, so the next write must grow a file
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = fill(card)

        with pytest.raises(DiskFull) as refused:
            for n in range(1, 40):  # the WAL's first pages may still fit: a few taps fill it
                room.tap(n)
        assert refused.value.params["path"] == str(card)
        assert "存储卡满了" in refusal_message(refused.value, "zh_CN") and str(card) in refusal_message(
            refused.value, "zh_CN"
        )
        stored = visits(room)
        assert stored >= 1

        filler.unlink()
        assert isinstance(room.tap(45), signin.SignedIn)  # no restart: the next tap simply works
        assert visits(room) == stored + 1
        room.uow.engine.dispose()


def test_a_read_only_data_folder_is_named(tmp_path: Path, db_path: Path) -> None:
    with tmpfs(tmp_path / "card", "8m") as card:
        room_in(card, db_path).uow.engine.dispose()
        subprocess.run(["mount", "-o", "remount,ro", str(card)], check=True)
        with pytest.raises(DataFolderReadOnly) as refused:
            open_checked_database(card / "kiosk.sqlite3", ManualClock(START))
        assert refused.value.params["path"] == str(card)
        assert "只能读、不能写" in refusal_message(refused.value, "zh_CN")
        with pytest.raises(DataFolderReadOnly):  # a folder that cannot be made there either
            open_checked_database(card / "new" / "kiosk.sqlite3", ManualClock(START))


HOLD_THE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")  # in WAL mode: the write lock, held
connection.execute("UPDATE settings SET value = value")
print("holding", flush=True)
time.sleep(60)
"""


def test_a_database_locked_by_another_program_is_named(room: Room, db_path: Path) -> None:
    stored = visits(room)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseLocked) as refused:
            room.tap(0)
        assert refused.value.params["path"] == str(db_path)
    finally:
        holder.kill()
        holder.wait()
    assert isinstance(room.tap(0), signin.SignedIn)
    assert visits(room) == stored + 1
