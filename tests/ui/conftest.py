"""UI fixtures: one private Xvfb and one Kivy window for the whole session; a fresh app per test."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from db.clock import ManualClock
from kiosk.platform.config import KioskConfig
from kiosk.ui import env
from tests.ui.xvfb import virtual_display

# Before any test module imports Kivy (Kivy reads its environment once). The window starts at the
# largest size tested: under Xvfb, Mesa keeps drawing into the window's first size, so a window that
# grows later shows garbage outside it in screenshots, while shrinking is fine.
env.prepare(Path(tempfile.mkdtemp(prefix="kivy-home-")), width=1280, height=800)
# Sound is played (the player's history says what) into SDL's silent driver: no sound card, no file.
# tests/ui/test_sound.py runs a kiosk of its own with the disk driver and listens to what it wrote.
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

# The private X server starts now, not in a fixture: test modules that import Kivy's window at
# collection (test_sync_wired via test_admin_flow, layout.py) would otherwise create it before DISPLAY
# is set, and SDL then quietly draws off-screen, where no real X key event can reach it.
_display = virtual_display()
os.environ["DISPLAY"] = _display.__enter__()


def pytest_unconfigure(config: pytest.Config) -> None:
    _display.__exit__(None, None, None)


@pytest.fixture(scope="session")
def kivy_window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Kivy's window on the private display (started above), and its event loop."""
    from kiosk.ui import fonts

    fonts.register_default_font(fonts.find_cjk_font())
    from kivy.base import EventLoop
    from kivy.clock import Clock
    from kivy.core.window import Window  # noqa: F401 - creates the window on this display

    Clock._max_fps = 0  # the test steps frames itself; no need to sleep between them
    EventLoop.start()
    yield
    EventLoop.close()


@pytest.fixture
def kiosk_config(tmp_path: Path) -> KioskConfig:
    # Long timeouts: nothing may jump back to idle in the middle of a test unless the test says so.
    return KioskConfig(
        data_dir=tmp_path,
        db_path=tmp_path / "unused.sqlite3",
        fullscreen=False,
        idle_timeout_seconds=600,
        admin_timeout_seconds=600,
        message_seconds=600,
        backups=False,  # tests/ui/test_database_restore.py starts them on purpose
    )


@pytest.fixture
def start_kiosk(
    kivy_window: None, db_path: Path, clock: ManualClock, kiosk_config: KioskConfig
) -> Iterator[Callable[..., Any]]:
    from tests.ui.driver import KioskDriver, resize_window

    drivers: list[KioskDriver] = []

    def start(
        size: tuple[int, int] = (800, 480),
        locale: str = "zh_CN",
        sync: Any = None,
        start_sync: Any = None,
        opens: bool = True,
        **config: Any,
    ) -> KioskDriver:
        resize_window(size)
        driver = KioskDriver(db_path, clock, replace(kiosk_config, **config), locale, sync, start_sync, opens)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.stop()


@pytest.fixture
def kiosk(start_kiosk: Callable[..., Any]) -> Any:
    return start_kiosk()
