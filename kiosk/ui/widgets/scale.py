"""One scale for the whole window: designs are drawn for 800×480 and scaled for 1024×600 and 1280×800."""

from __future__ import annotations

from kiosk.ui import theme
from kiosk.ui.theme import Scale

_scale = Scale()


def use_scale(scale: Scale) -> None:
    """Set once by the app at build time, from the window size."""
    global _scale
    _scale = scale


def px(design_pixels: float) -> float:
    return _scale.px(design_pixels)


def min_text_size() -> float:
    """The smallest a fitting text may shrink to (kiosk.ui.fitting): still legible on the 7" screen."""
    return px(theme.FONT_MIN)
