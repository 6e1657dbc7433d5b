"""Start the touchscreen: Kivy's environment first, the font second (fail before any window opens),
then the app. Kept free of Kivy imports at module level so `python -m kiosk --console` never loads it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from hardware.base import CardReader
from kiosk.config import KioskConfig
from kiosk.services.uow import UnitOfWork
from kiosk.ui import env, fonts

log = logging.getLogger(__name__)


def open_reader(config: KioskConfig) -> CardReader | None:
    """The configured card reader, if the hardware package can open one (hardware.config, once merged)."""
    try:
        from hardware import config as hardware_config  # type: ignore[attr-defined]  # noqa: PLC0415
    except ImportError:
        log.info("no reader adapters installed: cards are read from a keyboard-wedge reader only")
        return None
    opener = getattr(hardware_config, "open_card_reader", None)
    if opener is None or not config.readers:
        return None
    return opener(config.readers)  # type: ignore[no-any-return]


def run(
    config: KioskConfig,
    locale: str,
    load_demo: Callable[[UnitOfWork], None] | None,
    windowed: bool = False,
) -> int:
    env.prepare(config.data_dir / "kivy")
    font = fonts.find_cjk_font()  # raises FontNotFound with the fix in the message
    from kivy.config import Config  # noqa: PLC0415 - after env.prepare

    if config.fullscreen and not windowed:
        Config.set("graphics", "fullscreen", "auto")
    fonts.register_default_font(font)
    from kiosk.ui.app import KioskApp, Startup  # noqa: PLC0415 - imports Kivy's Window

    app = KioskApp(config, Startup(Path(config.db_path), None, load_demo), locale, reader=open_reader(config))
    app.run()
    return 0
