"""Big rounded buttons whose words wrap and shrink to fit. Every tappable thing is a `KButton`, so the
size test (≥ 48 px) finds all of them; picture tiles (picture_tiles) are KButtons too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty
from kivy.uix.button import Button

from kiosk.ui import theme
from kiosk.ui.fitting import FitsBox
from kiosk.ui.widgets.scale import min_text_size, px
from kiosk.ui.widgets.text import SafeText

Builder.load_string(
    """
<KButton>:
    background_normal: ''
    background_down: ''
    background_disabled_normal: ''
    background_color: 0, 0, 0, 0
    markup: True
    halign: 'center'
    valign: 'middle'
    padding: self.pad, self.pad
    canvas.before:
        Color:
            rgba: self.fill if self.state == 'normal' and not self.selected else self.pressed_fill
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [self.radius]
"""
)


class KButton(SafeText, FitsBox, Button):
    """A big rounded button with one flat colour; darker while pressed or when selected (toggles).
    Its words wrap and shrink to the button rather than spill out of it."""

    fill = ListProperty(list(theme.PRIMARY))
    pressed_fill = ListProperty([0, 0, 0, 1])
    radius = NumericProperty(12)
    pad = NumericProperty(6)
    selected = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", px(theme.FONT_BIG))
        kwargs.setdefault("color", theme.ON_COLOUR)
        kwargs.setdefault("radius", px(theme.RADIUS))
        kwargs.setdefault("pad", px(6))
        super().__init__(**kwargs)
        self.init_fitting(min_text_size())
        self._shade()
        self.bind(fill=lambda *_: self._shade())

    def _shade(self) -> None:
        r, g, b, a = self.fill
        self.pressed_fill = [r * 0.78, g * 0.78, b * 0.78, a]


def button(text: str, fill: theme.RGBA, on_press: Callable[[], None], **kwargs: Any) -> KButton:
    b = KButton(text=text, fill=list(fill), **kwargs)
    b.bind(on_release=lambda *_: on_press())
    return b
