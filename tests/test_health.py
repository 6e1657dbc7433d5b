"""`python -m kiosk health` over SSH and the administrator's 状态 page say the same things, read from a
real kiosk database: its size and last check, backups, what waits to be sent, the last tap, free space,
the clock's source and the readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from db.backups import make_backup
from kiosk.services.database_check import check_or_restore
from kiosk.services.health import gather
from tests.conftest import START, Room

REPO = Path(__file__).resolve().parent.parent


def test_health_reads_a_real_database(room: Room, db_path: Path) -> None:
    room.tap(0)
    room.tap(1)
    check_or_restore(db_path)
    make_backup(db_path, "daily", datetime(2026, 11, 23, 10, tzinfo=UTC))

    health = gather(db_path, readers=["test reader: connected"])

    assert health.database_bytes and health.database_bytes > 0
    assert health.last_check == "ok" and health.last_check_at is not None
    assert health.backups == 1 and health.newest_backup_ok is True
    assert health.pending_events == 2 and not health.enrolled
    assert health.last_tap_at == START
    assert health.disk_free_bytes and health.disk_free_bytes > 0
    assert health.clock_kind in ("ntp_synced", "ntp_unsynced", "fake_hwclock", "unknown")
    assert health.readers == ["test reader: connected"]


def test_the_command_prints_it_and_as_json(room: Room, db_path: Path, tmp_path: Path) -> None:
    room.tap(0)
    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "kiosk", "health", "--db", str(db_path)]
    text = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=True)
    assert "pending events   1" in text.stdout and "last card tap    2026-11-23 07:30 UTC" in text.stdout
    as_json = subprocess.run(
        [*command, "--json"], capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=True
    )
    report = json.loads(as_json.stdout)
    assert report["pending_events"] == 1 and report["database"] == str(db_path)
    assert report["last_tap_at"].startswith("2026-11-23T07:30")
