"""The kiosk's and the server's database files, their -wal/-shm and the folders we create for them are
readable by their own user only: they hold children's names, families' phone numbers and PIN material."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from db.clock import ManualClock
from kiosk.services.database_open import open_database
from sync.server.bootstrap import open_central
from tests.conftest import START


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """What a Pi's login shell has: new files 0644, new folders 0755, unless we say otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def files_of(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_a_new_kiosk_database_and_its_folder_are_private(tmp_path: Path) -> None:
    db = tmp_path / "liushou-kiosk" / "kiosk.sqlite3"
    uow = open_database(db, ManualClock(START))
    try:
        with uow.engine.connect() as connection:  # the WAL and its index exist while a connection is open
            connection.execute(text("SELECT count(*) FROM children")).scalar()
            assert [mode(p) for p in files_of(db)] == [0o600, 0o600, 0o600]
            assert mode(db.parent) == 0o700
    finally:
        uow.engine.dispose()


def test_an_old_world_readable_kiosk_file_is_tightened_at_start(tmp_path: Path) -> None:
    shared = tmp_path / "shared"  # e.g. a data folder made by hand, or /tmp with --db
    shared.mkdir(mode=0o755)
    db = shared / "kiosk.sqlite3"
    open_database(db, ManualClock(START)).engine.dispose()
    for path in files_of(db):
        if path.exists():
            path.chmod(0o644)
    uow = open_database(db, ManualClock(START))
    try:
        with uow.engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar()
            assert [mode(p) for p in files_of(db)] == [0o600, 0o600, 0o600]
    finally:
        uow.engine.dispose()
    assert mode(shared) == 0o755  # a folder that was already there is not ours to change


def test_the_central_sqlite_database_is_private_too(tmp_path: Path) -> None:
    db = tmp_path / "central" / "liushou-central.sqlite3"
    central = open_central(f"sqlite:///{db}")
    try:
        with central.engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM schools")).scalar()
            assert [mode(p) for p in files_of(db)] == [0o600, 0o600, 0o600]
            assert mode(db.parent) == 0o700
    finally:
        central.engine.dispose()
