"""Start the touchscreen: Kivy's environment first, the font second (fail before any window opens),
the card readers third, then the app. Kept free of Kivy imports at module level so
`python -m kiosk --console` never loads it."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from pathlib import Path

from db.pin_seal import PinKey
from hardware.factory import open_readers
from kiosk.platform.config import KioskConfig
from kiosk.services.uow import UnitOfWork
from kiosk.ui import env, fonts
from kiosk.ui.controller import StartSync

log = logging.getLogger(__name__)


def run(
    config: KioskConfig,
    locale: str,
    load_demo: Callable[[UnitOfWork], None] | None,
    windowed: bool = False,
    start_sync: StartSync | None = None,
    pin_key: PinKey | Callable[[], PinKey] | None = None,
) -> int:
    """Run until the window closes. `start_sync` starts the sync client once the app has opened the
    database; None runs the room offline."""
    env.prepare(_kivy_home(config.data_dir / "kivy"))
    font = fonts.find_cjk_font()  # raises FontNotFound with the fix in the message
    from kivy.config import Config  # noqa: PLC0415 - after env.prepare

    if config.fullscreen and not windowed:
        Config.set("graphics", "fullscreen", "auto")
    fonts.register_default_font(font)
    from kivy.clock import Clock  # noqa: PLC0415

    from kiosk.ui.app import KioskApp, Startup  # noqa: PLC0415 - imports Kivy's Window

    hub = open_readers(config.readers)  # each adapter on its own thread, reconnecting by itself
    try:
        app = KioskApp(
            config,
            Startup(Path(config.db_path), None, load_demo, pin_key),
            locale,
            readers=hub,
            start_sync=start_sync,
        )
        # systemd stops the kiosk with SIGTERM: close the app as its window closing would, so the
        # database is closed cleanly and the next start skips the full check (database_check)
        signal.signal(signal.SIGTERM, lambda _signal, _frame: Clock.schedule_once(lambda _dt: app.stop()))
        app.run()
    finally:
        hub.close()
    return 0


def _kivy_home(wanted: Path) -> Path | None:
    """Kivy's settings folder in the data folder; None (a temporary one) when the data folder cannot
    take it (read-only, missing under a read-only parent): the window still opens and says why."""
    try:
        wanted.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("Kivy's folder cannot be made in the data folder (%s); using a temporary one", exc)
        return None
    return wanted
