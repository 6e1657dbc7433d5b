"""Text that fits its box: wrapped, and drawn smaller when it must be, never cut.

A label in a fixed box used to shorten itself with "…" (the sign-out message lost its minutes, the
电视放映 hint its end). Real strings are longer than the designer's: 阿依古丽·买买提, a book title of
thirty characters, 1440 minutes, and English. So a fitting label lays its text out at its design size;
if the lines do not fit the box it tries again a little smaller, down to a floor still legible on the
7" screen, and only then would it overflow (the layout test reports that, it never happens quietly).

The common case costs what a plain label costs (one layout); a text that must shrink costs a few more.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty

SHRINK_STEP = 0.9
SLACK = 0.5  # pixels of rounding


class FitsBox:
    """Mixed into a Kivy Label (or Button): `font_size` given is the largest; `min_font_size` the floor.

    `text_box()` is the room the text may use (the whole widget by default; a picture tile keeps the
    top for its picture)."""

    max_font_size = NumericProperty(0)
    min_font_size = NumericProperty(12)
    # In a scrolling list there is room below: the widget grows to its words (never below this
    # height) instead of shrinking them. 0: a fixed box.
    grow_from_height = NumericProperty(0)
    fitted_height = 0.0  # how tall the wrapped words are, at the size chosen
    _fitting = False

    def init_fitting(self, min_font_size: float) -> None:
        self.max_font_size = self.font_size
        self.min_font_size = min(min_font_size, self.font_size)
        self.fbind("font_size", self._font_size_set)
        self.fbind("size", self._trigger_texture)
        self.fbind("max_font_size", self._trigger_texture)

    def text_box(self) -> tuple[float, float]:
        return float(self.width), float(self.height)

    def _font_size_set(self, _widget: Any, value: float) -> None:
        if not self._fitting:
            self.max_font_size = value  # the code asked for this size: it is the new largest

    def texture_update(self, *largs: Any) -> None:
        if self._fitting:
            super().texture_update(*largs)  # type: ignore[misc]
            return
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False
            self._trigger_texture.cancel()  # what fitting changed is already drawn

    def _fit(self) -> None:
        width, height = self.text_box()
        size = self.max_font_size or self.font_size
        if not self.text or width <= 1 or height <= 1:
            self.fitted_height = 0.0
            self.font_size = size
            self.text_size = (max(width, 1), max(height, 1))
            super().texture_update()  # type: ignore[misc]
            return
        if self.grow_from_height:
            self.font_size = size
            self.text_size = (width, None)
            super().texture_update()  # type: ignore[misc]
            self.fitted_height = self.texture_size[1]
            self.height = max(self.grow_from_height, self.fitted_height)
            height = self.height
        while True:
            self.font_size = size
            self.text_size = (width, None)  # wrapped at the width, as tall as it needs
            super().texture_update()  # type: ignore[misc]
            needed = self.fitted_height = self.texture_size[1]
            if needed <= height + SLACK or size <= self.min_font_size:
                break
            size = max(self.min_font_size, size * min(SHRINK_STEP, (height / needed) ** 0.5 * 1.02))
        # The texture is as tall as its lines; a label draws it centred in its box (valign middle),
        # a picture tile at the bottom. Laying it out again in the fixed box could drop a line.
