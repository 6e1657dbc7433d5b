"""Text that wraps instead of overflowing, text that fits its box, rounded panels, and the message band."""

from __future__ import annotations

from typing import Any

from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.widgets.scale import px

Builder.load_string(
    """
<Text>:
    markup: True
    halign: 'left'
    valign: 'middle'
    text_size: self.width, None
    size_hint_y: None
    height: self.texture_size[1]

<FitText>:
    markup: True
    halign: 'center'
    valign: 'middle'
    text_size: self.width, self.height
    shorten: True
    shorten_from: 'right'

<Panel>:
    canvas.before:
        Color:
            rgba: self.fill
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [self.radius]
"""
)


class Text(Label):
    """Wrapping text whose height follows its content (never clipped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", px(theme.FONT_BODY))
        kwargs.setdefault("color", theme.INK)
        super().__init__(**kwargs)


class FitText(Label):
    """Text in a fixed box, centred; shortened with … rather than drawn outside the box."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", px(theme.FONT_BODY))
        kwargs.setdefault("color", theme.INK)
        super().__init__(**kwargs)


class Panel(BoxLayout):
    fill = ListProperty(list(theme.SURFACE))
    radius = NumericProperty(12)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("radius", px(theme.RADIUS))
        kwargs.setdefault("padding", px(theme.GAP))
        kwargs.setdefault("spacing", px(theme.GAP))
        super().__init__(**kwargs)


class Banner(Panel):
    """A message strip: green for done, amber for "not now", red for a problem. Empty = collapsed."""

    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("size_hint_y", None)
        super().__init__(**kwargs)
        self.label = Text(color=theme.ON_COLOUR, font_size=px(theme.FONT_BIG), halign="center")
        self.add_widget(self.label)
        self.label.bind(height=lambda *_: self._fit())
        self.show("")

    def show(self, message: str, tone: str = "good") -> None:
        self.fill = list(
            {"good": theme.GOOD, "warn": theme.WARN, "bad": theme.BAD, "info": theme.PRIMARY}[tone]
        )
        self.message = message
        self.label.text = message
        self.opacity = 1 if message else 0
        self._fit()

    def _fit(self) -> None:
        self.height = self.label.height + 2 * self.padding[1] if self.message else 0
