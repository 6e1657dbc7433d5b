"""Pictures drawn with shapes where the font has no glyph for them."""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Line, RoundedRectangle
from kivy.uix.widget import Widget

from kiosk.ui import theme
from kiosk.ui.widgets.scale import px


class BarcodePicture(Widget):
    """A barcode label drawn with rectangles: the "scan this" picture (the font has no barcode glyph)."""

    PATTERN = (3, 1, 1, 2, 1, 3, 2, 1, 1, 1, 3, 2, 1, 2, 1, 1, 3, 1, 2, 1, 1, 3)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw)

    def _draw(self, *_: Any) -> None:
        self.canvas.clear()
        h = min(self.height * 0.8, px(90))
        unit = min(self.width * 0.6, h * 2.2) / sum(self.PATTERN)
        x = self.center_x - unit * sum(self.PATTERN) / 2
        y = self.center_y - h / 2
        with self.canvas:
            Color(*theme.INK)
            for i, width in enumerate(self.PATTERN):
                if i % 2 == 0:
                    RoundedRectangle(pos=(x, y), size=(unit * width, h), radius=[1])
                x += unit * width
            Color(*theme.BOOKS)
            Line(
                points=[self.center_x - unit * 14, self.center_y, self.center_x + unit * 14, self.center_y],
                width=px(2),
            )
