"""Is there a screen to draw on? Asked before Kivy starts, because without one Kivy does not fail.

With no X or Wayland display, SDL2 quietly falls back to an off-screen driver: the kiosk then starts,
loads its data and runs its main loop with a window nobody can see, and `make run` over SSH looks
hung. A Raspberry Pi showing the kiosk on its own screen without a desktop is real, though: there SDL
draws through KMS/DRM (`/dev/dri/card*`), so that counts as a screen, and so does an explicit
`SDL_VIDEODRIVER`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

NO_DISPLAY = (
    "no display to show the touchscreen on (DISPLAY and WAYLAND_DISPLAY are not set, and there is no "
    "/dev/dri screen). Over SSH use the text console: make run ARGS=--console "
    "(python -m kiosk --console); on a desktop, run it from a terminal inside the desktop."
)


def missing_display(
    env: Mapping[str, str], platform: str = sys.platform, dri: Path = Path("/dev/dri")
) -> str | None:
    """Why the touchscreen cannot be shown here, or None when there is somewhere to draw."""
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their own window system
    if any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")):
        return None
    if dri.is_dir() and any(dri.glob("card*")):
        return None
    return NO_DISPLAY
