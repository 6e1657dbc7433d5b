"""An installed kiosk whose data folder is read-only at its first start (a card mounted read-only after
a file-system error) opens its window and says so, instead of dying before the window with a
traceback and being restarted by systemd over and over; once the folder is writable again, it starts
by itself. `python -m kiosk` in its own process, on its own virtual screen, the card a real tmpfs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.full_card import tmpfs
from tests.ui.test_kiosk_process import kiosk_env, query, wait_for
from tests.ui.xvfb import virtual_display

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root"),
]


def screenshot(display: str, name: str) -> None:
    """The whole virtual screen, where ImageMagick's `import` is installed (the test does not need it)."""
    if shutil.which("import") is None:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["import", "-display", display, "-window", "root", str(SCREENSHOTS / f"{name}.png")], check=True
    )


def test_a_read_only_data_folder_at_first_start_is_said_on_screen_until_it_is_writable(
    tmp_path: Path,
) -> None:
    with tmpfs(tmp_path / "card", "16m") as card, virtual_display(800, 480) as display:
        data = card / "liushou"
        data.mkdir(mode=0o700)
        subprocess.run(["mount", "-o", "remount,ro", str(card)], check=True)
        log_path = tmp_path / "kiosk.log"
        with log_path.open("wb") as log:
            kiosk = subprocess.Popen(
                [sys.executable, "-m", "kiosk", "--windowed", "--no-demo"],
                env=kiosk_env(data, DISPLAY=display),
                cwd=tmp_path,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            said = lambda: log_path.read_text(encoding="utf-8", errors="replace")  # noqa: E731
            wait_for(lambda: "out of service (data_read_only)" in said(), "the reason on screen", kiosk)
            wait_for(lambda: said().count("out of service (data_read_only)") >= 2, "a second try", kiosk)
            screenshot(display, "66-read-only-first-start")
            assert kiosk.poll() is None  # still up: nothing for systemd to restart
            assert not (data / "kivy").exists()

            subprocess.run(["mount", "-o", "remount,rw", str(card)], check=True)
            tables = "SELECT name FROM sqlite_master WHERE name = 'device_identity'"
            wait_for(
                lambda: bool(query(data / "kiosk.sqlite3", tables)), "the database made", kiosk, timeout=60
            )
            assert kiosk.poll() is None
        finally:
            kiosk.terminate()
            kiosk.wait(timeout=30)
        assert "Traceback" not in said(), said()
