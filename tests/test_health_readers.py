"""`python -m kiosk health` (over SSH) and the 状态 page agree about the card readers: both read what the
running kiosk's readers report — the keyboard-wedge reader that works included — and say sizes the
way a person reads them (744 KiB, not 0.7 MiB or 0.0 MiB)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardware.fake import keystrokes
from hardware.hub import ReaderHub
from hardware.wedge import WedgeDecoder
from kiosk.services.health import gather, size_text
from kiosk.services.reader_state import ReaderState, load_reader_state, save_reader_state
from tests.conftest import Room

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (900, "900 B"),
        (761_856, "744 KiB"),
        (1_048_576, "1.0 MiB"),
        (5_452_595, "5.2 MiB"),
        (31_138_512_896, "29.0 GiB"),
        (None, "?"),
    ],
)
def test_sizes_read_as_a_person_reads_them(size: int | None, text: str) -> None:
    assert size_text(size) == text


def test_the_keyboard_reader_that_typed_a_code_counts_as_working() -> None:
    hub = ReaderHub(wedge=WedgeDecoder())
    assert hub.status() == {"keyboard": "listening"}
    for key, at in keystrokes("0012345678", start=1.0, key_gap=0.01):
        hub.feed_key(key, at)
    assert hub.status() == {"keyboard": "working"}


def test_what_the_running_kiosk_saw_is_what_the_command_says(
    room: Room, db_path: Path, tmp_path: Path
) -> None:
    seen = {"pcsc": "failing: no PC/SC service (pcscd)", "keyboard": "working"}
    save_reader_state(db_path, seen)  # as the running app does when its readers' state changes
    assert load_reader_state(db_path) == ReaderState(seen, live=True)

    report = gather(db_path)  # what the command gathers, in another process than the kiosk
    assert report.readers == ["pcsc: failing: no PC/SC service (pcscd)", "keyboard: working"]
    assert report.readers_seen_by == "kiosk"

    env = os.environ | {"KIOSK_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "kiosk", "health", "--db", str(db_path)]
    text = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=True)
    assert "keyboard: working" in text.stdout and "none seen" not in text.stdout
    assert "as the running kiosk sees them" in text.stdout


def test_with_no_kiosk_running_the_command_looks_for_itself_and_says_so(
    room: Room, db_path: Path, tmp_path: Path
) -> None:
    save_reader_state(db_path, {"keyboard": "working"}, pid=2**22 + 12345)  # a kiosk that has gone
    assert load_reader_state(db_path) is not None and not load_reader_state(db_path).live  # type: ignore[union-attr]
    report = gather(db_path)
    assert report.readers_seen_by == "probe"
    assert any(line.startswith("keyboard: ") for line in report.readers)  # configured, not heard
