"""Kivy reads its environment once, at import: set it before anything imports kivy.

Without this Kivy writes config and logs under ~/.kivy, parses our command-line arguments as its own,
and a test run leaves files behind in the user's home.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def prepare(kivy_home: Path | None = None, width: int = 800, height: int = 480) -> Path:
    """Point KIVY_HOME at a private folder and stop Kivy taking our argv; return the folder used."""
    if "kivy" in sys.modules:
        return Path(os.environ.get("KIVY_HOME", ""))
    home = kivy_home or Path(tempfile.mkdtemp(prefix="kivy-home-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(home)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # Kivy logs through `logging` like the rest of us
    os.environ.setdefault("KIVY_AUDIO", "sdl2")  # SDL_mixer: tests hear it through SDL's disk driver
    # A card tap crosses threads (reader pump → UI → database worker → UI): with the default clock each
    # crossing waits for the next frame; the interrupt clock wakes the UI thread when work is posted
    # (bench tap_to_name: the name on screen a frame or two sooner).
    os.environ.setdefault("KIVY_CLOCK", "interrupt")
    from kivy.config import Config  # noqa: PLC0415 - only now that the environment is set

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("kivy", "exit_on_escape", "0")  # a child pressing Esc on a keyboard must not quit
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red multitouch dots on right-click
    return home
