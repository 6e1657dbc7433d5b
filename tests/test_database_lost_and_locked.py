"""Two ways a room's records used to vanish. A database file the card lost or emptied (zero bytes),
with good backups beside it, was taken for a new kiosk: demo data loaded, or 这台自助机还没有登记;
now it counts as damaged and the newest backup with the room's data is put back. And `restore-backup`
ran under a running kiosk, which went on writing into the file moved aside; now the kiosk,
`restore-backup` and `migrate` exclude each other, and the one refused says who holds the database.
Real processes on real files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.backups import list_backups, make_backup
from kiosk.services.database_open import open_checked_database
from tests.conftest import Room

REPO = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def visits_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM visits").fetchone()[0]


def kiosk_command(db_path: Path, *args: str, stdin: str = "q\n") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env |= {"KIOSK_DB": str(db_path), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("lost", ["emptied", "missing"])
def test_a_lost_database_with_backups_is_restored_not_started_afresh(
    lost: str, room: Room, db_path: Path
) -> None:
    room.tap(0)
    room.tap(1)
    make_backup(db_path, "daily", WHEN)
    room.uow.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if lost == "emptied":
        db_path.write_bytes(b"")

    console = kiosk_command(db_path, "--console")

    assert console.returncode == 0, console.stderr
    assert "已自动恢复到" in console.stdout
    said = "损坏的文件保留为 kiosk-replaced-" if lost == "emptied" else "数据库文件不见了"
    assert said in console.stdout
    assert "演示数据" not in console.stdout  # no demo data loaded over the room
    assert visits_in(db_path) == 2


def test_an_empty_file_with_no_backup_is_a_new_kiosk(tmp_path: Path) -> None:
    db_path = tmp_path / "kiosk.sqlite3"
    db_path.write_bytes(b"")
    uow, restored = open_checked_database(db_path)
    uow.engine.dispose()
    assert restored is None and list_backups(db_path) == []


@pytest.fixture
def running_kiosk(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """The kiosk's text console, started and waiting for a card."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env |= {"KIOSK_DB": str(db_path), "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--console", "--no-demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert kiosk.stdout is not None
    while "==" not in (line := kiosk.stdout.readline()):  # its title: the database is open
        assert line, "the console ended before it was ready"
    yield kiosk
    kiosk.kill()
    kiosk.wait()


def test_restore_and_migrate_refuse_while_the_kiosk_runs(
    room: Room, db_path: Path, running_kiosk: subprocess.Popen[str]
) -> None:
    room.tap(0)
    backup = make_backup(db_path, "manual", WHEN)
    room.tap(1)
    aside_before = set(db_path.parent.glob("kiosk-replaced-*"))

    restore = kiosk_command(db_path, "restore-backup", str(backup.path))
    migrate = kiosk_command(db_path, "migrate")

    for refused in (restore, migrate):
        assert refused.returncode == 1
        assert f"kiosk (process {running_kiosk.pid}) is using the database {db_path}" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert set(db_path.parent.glob("kiosk-replaced-*")) == aside_before  # nothing moved aside
    assert visits_in(db_path) == 2

    assert running_kiosk.stdin is not None
    running_kiosk.stdin.write("q\n")
    running_kiosk.stdin.flush()
    assert running_kiosk.wait(timeout=30) == 0
    room.uow.engine.dispose()
    restored = kiosk_command(db_path, "restore-backup", str(backup.path))
    assert restored.returncode == 0, restored.stderr
    assert visits_in(db_path) == 1


def test_the_kiosk_refuses_to_start_while_a_restore_holds_the_database(db_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom pathlib import Path\n"
            "from kiosk.services.database_lock import take_database_lock\n"
            "lock = take_database_lock(Path(sys.argv[1]), 'restore-backup')\n"
            "print('held', flush=True)\nsys.stdin.readline()\n",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        console = kiosk_command(db_path, "--console", "--locale", "en")
        assert console.returncode == 4
        assert f"restore-backup (process {holder.pid}) is using the database" in console.stderr
    finally:
        holder.kill()
        holder.wait()
