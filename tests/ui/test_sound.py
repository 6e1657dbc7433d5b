"""The sound a child hears, captured: `python -m kiosk` as `make run` starts it, a wedge reader typing
cards into its window (real X key events), and SDL's disk audio driver standing in for the speaker
(SDL_AUDIODRIVER=disk writes everything the mixer plays to SDL_DISKAUDIOFILE, in real time).

A card the kiosk knows: the chime (its loudest pitch above 1 kHz), then words (签到成功). A card it
does not know: the soft "not now" (under 500 Hz), then words (请找老师). Told apart by the PCM alone.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.captured_sound import Heard, read_left, sounds_in
from tests.ui.test_kiosk_process import DEMO_CHILD_CARD, kiosk_env, query, wait_for
from tests.ui.xkeys import XKeyboard
from tests.ui.xvfb import virtual_display

UNKNOWN_CARD = "0A1B2C3D"  # a card's shape, registered to nobody
LISTEN_SECONDS = 3.0  # the tone and the words after it


@pytest.fixture
def screen() -> Iterator[str]:
    with virtual_display(800, 480) as display:
        yield display


def after(capture: Path, action: object, process: subprocess.Popen[bytes]) -> list[Heard]:
    """Everything played from just before `action()` until LISTEN_SECONDS later."""
    start = capture.stat().st_size
    action()  # type: ignore[operator]
    deadline = time.monotonic() + LISTEN_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the kiosk exited"
        time.sleep(0.1)
    return sounds_in(read_left(capture, start, capture.stat().st_size))


@pytest.mark.slow
def test_a_card_taken_chimes_and_a_card_refused_sounds_not_now(tmp_path: Path, screen: str) -> None:
    (tmp_path / "kiosk.toml").write_text('[readers]\nuse = ["keyboard"]\n', encoding="utf-8")
    db = tmp_path / "kiosk.sqlite3"
    capture = tmp_path / "speaker.raw"
    log = (tmp_path / "kiosk.log").open("wb")
    sound = {"SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(capture), "KIVY_AUDIO": "sdl2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed"],
        env=kiosk_env(tmp_path, DISPLAY=screen, **sound),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        card_known = "SELECT child_id FROM cards WHERE uid = ?"
        wait_for(lambda: bool(query(db, card_known, DEMO_CHILD_CARD)), "the demo roster", process)
        wait_for(lambda: capture.exists() and capture.stat().st_size > 0, "the sound device to open", process)
        keyboard = XKeyboard(screen)
        keyboard.focus(process.pid)
        time.sleep(1)  # the reader pump starts once the database is open

        taken = after(capture, lambda: keyboard.type(DEMO_CHILD_CARD), process)
        assert query(db, "SELECT count(*) FROM visits") == [(1,)]
        refused = after(capture, lambda: keyboard.type(UNKNOWN_CARD), process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()

    assert len(taken) >= 2 and len(refused) >= 2, (taken, refused)
    chime, words = taken[0], taken[1]
    not_now, teacher = refused[0], refused[1]
    assert chime.pitch() > 1000 and chime.seconds < 0.6, (chime.pitch(), chime.seconds)
    assert not_now.pitch() < 500 and not_now.seconds < 0.7, (not_now.pitch(), not_now.seconds)
    assert words.seconds > 0.6 and teacher.seconds > 0.6  # 签到成功, 请找老师: speech, not a tone
