"""`python -m kiosk` as `make run` starts it, in its own process on its own virtual screen.

A wedge card reader types a card number in capitals (real X key events, Shift and all) into the
running kiosk's window; the sign-in is read from the kiosk's database file. And with no screen at all
the kiosk says so and points at the text console instead of sitting in a loop nobody can see.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ui.xkeys import XKeyboard
from tests.ui.xvfb import virtual_display

REPO = Path(__file__).resolve().parents[2]
DEMO_CHILD_CARD = "DB828663"  # the first demo child's card, as the README lists it


def kiosk_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KIVY_HOME")}
    return env | {"KIOSK_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)} | extra


def wait_for(predicate: Callable[[], bool], what: str, process: subprocess.Popen[bytes], timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not predicate():
        if process.poll() is not None:
            raise AssertionError(f"the kiosk exited ({process.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def query(db: Path, sql: str, *params: str) -> list[tuple[object, ...]]:
    """Read the kiosk's file while it runs, as an administrator's sqlite3 would."""
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        try:
            return connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # tables not created yet
            return []


@pytest.fixture
def screen() -> Iterator[str]:
    with virtual_display(800, 480) as display:
        yield display


def test_a_wedge_reader_types_a_card_into_the_running_kiosk(tmp_path: Path, screen: str) -> None:
    (tmp_path / "kiosk.toml").write_text('[readers]\nuse = ["keyboard"]\n', encoding="utf-8")
    db = tmp_path / "kiosk.sqlite3"
    log = (tmp_path / "kiosk.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed"],
        env=kiosk_env(tmp_path, DISPLAY=screen),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        card_known = "SELECT child_id FROM cards WHERE uid = ?"
        wait_for(lambda: bool(query(db, card_known, DEMO_CHILD_CARD)), "the demo roster", process)
        keyboard = XKeyboard(screen)
        keyboard.focus(process.pid)
        time.sleep(1)  # the app opens its database on a worker; the reader pump starts after that
        [(child_id,)] = query(db, card_known, DEMO_CHILD_CARD)
        keyboard.type(DEMO_CHILD_CARD)
        visits = "SELECT child_id FROM visits"
        wait_for(lambda: bool(query(db, visits)), "the sign-in in the database", process, timeout=20)
        assert query(db, visits) == [(child_id,)]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_with_no_screen_the_kiosk_says_so_and_points_at_the_console(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "kiosk"],
        env=kiosk_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "DISPLAY" in finished.stderr and "--console" in finished.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()  # refused before anything was created
