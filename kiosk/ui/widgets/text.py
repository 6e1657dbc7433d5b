"""Text that wraps instead of overflowing, text that fits its box, rounded panels, and the message band.

Every label here reads Kivy markup and escapes what it is given as a plain `str` (a name, a title, a
scanned code: kiosk.ui.markup); our own sentences arrive as `Markup` and keep their tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.fitting import FitsBox
from kiosk.ui.markup import Markup, escape
from kiosk.ui.widgets.scale import min_text_size, px

Feedback = Callable[[str], None]  # a band's tone ("good", "warn", "bad") when it shows a message
_feedback: Feedback = lambda _tone: None  # noqa: E731 - silent until the app plugs in its sounds


def use_feedback(feedback: Feedback) -> None:
    """Set once by the app: what a band does, besides showing it, when a message appears (a chime for
    "done", the soft "not now" for a refusal), so every result anyone shows is heard too."""
    global _feedback
    _feedback = feedback


class SafeText:
    """Mixed into every label of ours: text set as a plain `str` is escaped for Kivy markup on the way
    in; `Markup` (our sentences and tags) is kept as it is."""

    def on_text(self, _widget: Any, value: str) -> None:
        if not isinstance(value, Markup):
            self.text = escape(value)


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

<CellText>:
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


class Text(SafeText, Label):
    """Wrapping text whose height follows its content (never clipped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", px(theme.FONT_BODY))
        kwargs.setdefault("color", theme.INK)
        super().__init__(**kwargs)


class FitText(SafeText, FitsBox, Label):
    """Text in a fixed box, centred: wrapped, and drawn smaller if it must be, never cut."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", px(theme.FONT_BODY))
        kwargs.setdefault("color", theme.INK)
        super().__init__(**kwargs)
        self.init_fitting(min_text_size())


class CellText(FitText):
    """A cell of an administrator's table: wraps and shrinks like any fitting text; only a name too
    long even at the smallest size is shortened with … (the whole record is one tap away)."""

    def _fit(self) -> None:
        self.shorten = False
        super()._fit()
        if self.fitted_height > self.height + 0.5:
            self.shorten = True
            self.text_size = (self.width, self.height)
            Label.texture_update(self)


class Panel(BoxLayout):
    fill = ListProperty(list(theme.SURFACE))
    radius = NumericProperty(12)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("radius", px(theme.RADIUS))
        kwargs.setdefault("padding", px(theme.GAP))
        kwargs.setdefault("spacing", px(theme.GAP))
        super().__init__(**kwargs)


class Banner(Panel):
    """A message band: green for done, amber for "not now", red for a problem.

    It keeps its place when empty (transparent), so nothing on the screen moves when a message comes
    or goes: a tap meant for the button below lands on that button. Its words shrink to the band. A
    message shown is also heard (`use_feedback`): the chime for done, the soft sound for the others."""

    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("size_hint_y", None)
        kwargs.setdefault("height", px(theme.BAND))
        kwargs.setdefault("padding", (px(theme.GAP), px(3)))
        super().__init__(**kwargs)
        self.label = FitText(color=theme.ON_COLOUR, font_size=px(theme.FONT_BIG))
        self.add_widget(self.label)
        self.show("")

    def show(self, message: str, tone: str = "good") -> None:
        self.fill = list(
            {"good": theme.GOOD, "warn": theme.WARN, "bad": theme.BAD, "info": theme.PRIMARY}[tone]
        )
        self.message = message
        self.label.text = message
        self.opacity = 1 if message else 0
        if message:
            _feedback(tone)
