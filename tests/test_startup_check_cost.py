"""The start-up check reads every page of the database (seconds on a Pi's SD card with years of
history), so it runs only when it can find something: after a run that did not stop cleanly (kill -9,
a power cut) or when the file changed since. A kiosk closed by its window or by systemd's stop
(SIGTERM) starts without it. Real processes; `health` says what the last start did."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from db.backups import make_backup
from tests.conftest import Room
from tests.db.test_backups import damage, visits_in
from tests.ui.test_kiosk_process import query, wait_for
from tests.ui.xvfb import virtual_display

REPO = Path(__file__).resolve().parents[1]


def environment(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_")) and k != "DISPLAY"}
    return env | {"KIOSK_DB": str(db_path), "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"} | extra


def console(db_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--console", "--no-demo"],
        input="q\n",
        env=environment(db_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_check(db_path: Path) -> str:
    report = subprocess.run(
        [sys.executable, "-m", "kiosk", "health", "--json"],
        env=environment(db_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(report.stdout)["last_check"]


def test_the_full_check_runs_after_an_unclean_stop_and_not_after_a_clean_one(
    room: Room, db_path: Path
) -> None:
    room.tap(0)
    room.uow.engine.dispose()

    assert console(db_path).returncode == 0
    assert last_check(db_path) == "ok"  # never stopped cleanly before: read in full
    assert console(db_path).returncode == 0
    assert last_check(db_path) == "clean_stop"  # closed by itself, untouched since: not read again

    killed = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--console", "--no-demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment(db_path),
        text=True,
    )
    assert killed.stdout is not None
    while "==" not in (line := killed.stdout.readline()):
        assert line, "the console ended before it was ready"
    killed.kill()  # kill -9: as a power cut leaves it
    killed.wait()
    assert console(db_path).returncode == 0
    assert last_check(db_path) == "ok"


def test_a_file_changed_after_a_clean_stop_is_checked_and_restored(room: Room, db_path: Path) -> None:
    room.tap(0)
    make_backup(db_path, "daily", datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    room.tap(1)
    room.uow.engine.dispose()
    assert console(db_path).returncode == 0  # a clean stop
    damage(db_path)  # then the card damages the file

    restarted = console(db_path)

    assert "已自动恢复到" in restarted.stdout
    assert last_check(db_path) == "restored" and visits_in(db_path) == 1


def test_a_stop_by_systemd_is_a_clean_stop_of_the_touchscreen(db_path: Path) -> None:
    with virtual_display(800, 480) as display:
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--windowed", "--no-demo"],
            env=environment(db_path, DISPLAY=display),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            checked = "SELECT 1 FROM device_identity"
            wait_for(
                lambda: bool(query(db_path, checked)) and last_check(db_path) == "ok", "its start", kiosk
            )
            kiosk.send_signal(signal.SIGTERM)  # what `systemctl stop` sends
            assert kiosk.wait(timeout=30) == 0
        finally:
            kiosk.kill()
            kiosk.wait()
    assert console(db_path).returncode == 0
    assert last_check(db_path) == "clean_stop"
