"""A kiosk that cannot start on its database says why on its screen, and keeps saying it until the
reason is gone; then it starts by itself. The reasons: a damaged file with no backup, a folder where
the database file should be, and `restore-backup` (or `migrate`) running on the same file."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.app import KioskApp
from tests.db.test_backups import damage
from tests.ui.driver import step

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KioskApp, "open_retry_seconds", 0.5)


def out_of_service(kiosk: Any) -> bool:
    return kiosk.sees("自助机暂时不能用") and not kiosk.sees("请刷卡")


def frames_for(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        step()
        time.sleep(0.02)


@pytest.fixture
def restore_running(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's lock as `restore-backup` does while it works."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from kiosk.services.database_lock import take_database_lock\n"
            "lock = take_database_lock(Path(sys.argv[1]), 'restore-backup')\n"
            "print('held', flush=True)\n"
            "sys.stdin.readline()\n",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield holder
    holder.kill()
    holder.wait()


def test_the_reason_stays_on_screen_past_every_message_time(
    start_kiosk: Callable[..., Any], room: Any, db_path: Path
) -> None:
    room.uow.engine.dispose()
    damage(db_path)
    kiosk = start_kiosk(opens=False, message_seconds=1)
    frames_for(2.5)  # past the time a passing message stays
    assert out_of_service(kiosk)
    assert kiosk.sees("已损坏，也没有能用的备份") and kiosk.sees(str(db_path))
    kiosk.screenshot("63-out-of-service-stays")


def test_a_folder_where_the_database_should_be_is_said_until_it_is_gone(
    start_kiosk: Callable[..., Any], db_path: Path, quick_retries: None
) -> None:
    db_path.unlink()
    db_path.mkdir()
    kiosk = start_kiosk(opens=False, message_seconds=1)
    frames_for(2)
    assert out_of_service(kiosk)
    assert kiosk.sees("是一个文件夹") and kiosk.sees(str(db_path))
    assert not kiosk.app.ctrl_ready
    kiosk.screenshot("64-database-is-a-folder")

    db_path.rmdir()  # the technician takes the folder away: the kiosk starts without being restarted
    kiosk.wait_until(lambda: kiosk.app.ctrl_ready, "the database to open")
    kiosk.settle()  # on a new file, with no backup to put back: a kiosk to enrol
    assert (
        kiosk.sees("这台自助机还没有登记") and not kiosk.sees("自助机暂时不能用") and not kiosk.sees("文件夹")
    )


def test_the_kiosk_waits_out_a_restore_and_then_starts(
    start_kiosk: Callable[..., Any],
    db_path: Path,
    quick_retries: None,
    restore_running: subprocess.Popen[str],
) -> None:
    kiosk = start_kiosk(opens=False, message_seconds=1)
    frames_for(1.5)
    assert out_of_service(kiosk) and kiosk.sees("restore-backup")
    kiosk.screenshot("65-restore-running")

    assert restore_running.stdin is not None
    restore_running.stdin.write("done\n")
    restore_running.stdin.flush()
    restore_running.wait(timeout=10)
    kiosk.wait_until(lambda: kiosk.app.ctrl_ready, "the database to open after the restore")
    kiosk.settle()
    assert kiosk.sees("请刷卡") and not kiosk.sees("restore-backup")
