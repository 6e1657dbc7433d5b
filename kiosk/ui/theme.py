"""Colours and sizes in one place, so every screen looks like the same friendly product.

Sizes are written for the official 7" display (800×480) and multiplied by `scale` on bigger screens,
which is fixed when the app builds (a kiosk's screen does not change size while it runs).
"""

from __future__ import annotations

from dataclasses import dataclass

RGBA = tuple[float, float, float, float]


def hex_rgba(value: str, alpha: float = 1.0) -> RGBA:
    value = value.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


BACKGROUND = hex_rgba("#FFF7E6")  # warm paper
SURFACE = hex_rgba("#FFFFFF")
INK = hex_rgba("#3A3A48")
INK_SOFT = hex_rgba("#6B6B7B")
ON_COLOUR = hex_rgba("#FFFFFF")
PRIMARY = hex_rgba("#3E8ED0")  # sky blue
CALL = hex_rgba("#2FA86B")  # green: family call
BOOKS = hex_rgba("#F08C2E")  # orange: books
EQUIPMENT = hex_rgba("#8C62C9")  # purple: equipment
LEAVE = hex_rgba("#E0605A")  # coral: sign out / end call
NEUTRAL = hex_rgba("#8A94A6")
GOOD = hex_rgba("#2FA86B")
WARN = hex_rgba("#E9A23B")
BAD = hex_rgba("#D9534F")
BIRTHDAY = hex_rgba("#F35F8C")
TOGGLE_OFF = hex_rgba("#D9DEE7")


@dataclass(frozen=True, slots=True)
class Scale:
    """`px(n)`: n design pixels at 800×480, scaled for bigger screens (1.0 … 1.6)."""

    factor: float = 1.0

    @classmethod
    def for_window(cls, width: float, height: float) -> Scale:
        return cls(max(1.0, min(width / 800, height / 480, 1.6)))

    def px(self, design_pixels: float) -> float:
        return design_pixels * self.factor


# Design sizes (pixels at 800×480, before scaling).
TOUCH_MIN = 56  # above the 48 px floor with room to spare for small fingers
FONT_HUGE = 48
FONT_TITLE = 32
FONT_BIG = 26
FONT_BODY = 21
FONT_SMALL = 17
FONT_MIN = 13  # what fitting text may shrink to (kiosk.ui.fitting), no less
GAP = 10
BAND = 52  # a message band's reserved height: two lines of body text
RADIUS = 16
