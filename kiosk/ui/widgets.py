"""The few widgets every screen is built from: big rounded buttons, picture tiles, text that wraps
instead of overflowing, banners, a keypad, and a table for the administrator's lists.

Every tappable thing is a Button subclass, so the size test (≥ 48 px) finds all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.graphics import Color, Line, RoundedRectangle
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui import theme
from kiosk.ui.theme import Scale

_scale = Scale()


def use_scale(scale: Scale) -> None:
    """Set once by the app at build time, from the window size."""
    global _scale
    _scale = scale


def px(design_pixels: float) -> float:
    return _scale.px(design_pixels)


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
    text_size: self.width, self.height
    canvas.before:
        Color:
            rgba: self.fill if self.state == 'normal' and not self.selected else self.pressed_fill
        RoundedRectangle:
            pos: self.pos
            size: self.size
            radius: [self.radius]

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


class KButton(Button):
    """A big rounded button with one flat colour; darker while pressed or when selected (toggles)."""

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
        self._shade()
        self.bind(fill=lambda *_: self._shade())

    def _shade(self) -> None:
        r, g, b, a = self.fill
        self.pressed_fill = [r * 0.78, g * 0.78, b * 0.78, a]


def tile(
    icon: str,
    caption: str,
    fill: theme.RGBA,
    on_press: Callable[[], None],
    icon_size: float = 54,
    caption_size: float = theme.FONT_BIG,
    **kwargs: Any,
) -> KButton:
    """A picture tile: a big glyph over a short caption (children read the picture first)."""
    text = f"[size={int(px(icon_size))}]{icon}[/size]\n{caption}" if icon else caption
    button = KButton(text=text, fill=list(fill), font_size=px(caption_size), **kwargs)
    button.bind(on_release=lambda *_: on_press())
    return button


def button(text: str, fill: theme.RGBA, on_press: Callable[[], None], **kwargs: Any) -> KButton:
    b = KButton(text=text, fill=list(fill), **kwargs)
    b.bind(on_release=lambda *_: on_press())
    return b


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


class Icon(Widget):
    """A coloured disc with one big character on it: the picture on equipment tiles (篮, 象 …)."""

    def __init__(self, glyph: str, fill: theme.RGBA, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = FitText(text=glyph, color=theme.ON_COLOUR, font_size=px(30), shorten=False)
        with self.canvas.before:
            Color(*fill)
            self._disc = RoundedRectangle()
            Color(1, 1, 1, 0.6)
            self._ring = Line(width=1.5)
        self.add_widget(self.label)
        self.bind(pos=self._layout, size=self._layout)

    def _layout(self, *_: Any) -> None:
        d = min(self.width, self.height)
        x, y = self.center_x - d / 2, self.center_y - d / 2
        self._disc.pos, self._disc.size, self._disc.radius = (x, y), (d, d), [d / 2]
        self._ring.circle = (self.center_x, self.center_y, d / 2 - 4)
        self.label.pos, self.label.size = (x, y), (d, d)
        self.label.font_size = d * 0.5


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


class Keypad(BoxLayout):
    """Digits (and, for barcodes, the label prefixes) on big keys; nothing to type on a keyboard.

    `secret` shows ● instead of digits (the staff PIN).
    """

    value = StringProperty("")

    def __init__(
        self,
        on_submit: Callable[[str], None],
        ok_text: str,
        clear_text: str,
        prefixes: Sequence[str] = (),
        secret: bool = False,
        max_length: int = 20,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("orientation", "vertical")
        kwargs.setdefault("spacing", px(6))
        super().__init__(**kwargs)
        self._on_submit = on_submit
        self._secret = secret
        self._max = max_length
        top = BoxLayout(spacing=px(6), size_hint_y=None, height=px(theme.TOUCH_MIN))
        self.display = FitText(font_size=px(theme.FONT_TITLE))
        top.add_widget(self.display)
        big = px(theme.FONT_TITLE)
        top.add_widget(button("←", theme.NEUTRAL, self._back, font_size=big, size_hint_x=0.4))
        self.add_widget(top)
        if prefixes:
            row = BoxLayout(spacing=px(6), size_hint_y=None, height=px(theme.TOUCH_MIN))
            for prefix in prefixes:
                row.add_widget(button(prefix, theme.NEUTRAL, lambda p=prefix: self._set_prefix(p)))
            self.add_widget(row)
        grid = GridLayout(cols=3, spacing=px(6))
        for key in "123456789":
            grid.add_widget(button(key, theme.PRIMARY, lambda k=key: self._press(k), font_size=big))
        grid.add_widget(button(clear_text, theme.NEUTRAL, self.clear))
        grid.add_widget(button("0", theme.PRIMARY, lambda: self._press("0"), font_size=big))
        self.ok = button(ok_text, theme.GOOD, self._submit)
        grid.add_widget(self.ok)
        self.add_widget(grid)
        self.bind(value=lambda *_: self._show())
        self._show()

    def clear(self) -> None:
        self.value = ""

    def _press(self, key: str) -> None:
        if len(self.value) < self._max:
            self.value += key

    def _set_prefix(self, prefix: str) -> None:
        self.value = prefix + "".join(ch for ch in self.value if ch.isdigit())

    def _back(self) -> None:
        self.value = self.value[:-1]

    def _submit(self) -> None:
        if self.value:
            value, self.value = self.value, ""
            self._on_submit(value)

    def _show(self) -> None:
        self.display.text = "●" * len(self.value) if self._secret else self.value


class KeypadPopup(ModalView):
    """The barcode keypad as an overlay, for a label the scanner cannot read."""

    def __init__(
        self,
        title: str,
        on_submit: Callable[[str], None],
        ok_text: str,
        clear_text: str,
        cancel_text: str,
        prefixes: Sequence[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("size_hint", (0.62, 0.96))
        kwargs.setdefault("auto_dismiss", False)
        kwargs.setdefault("background_color", (0, 0, 0, 0.45))
        super().__init__(**kwargs)
        box = Panel(orientation="vertical")
        header = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        header.add_widget(FitText(text=title, font_size=px(theme.FONT_BODY)))
        header.add_widget(button(cancel_text, theme.NEUTRAL, self.dismiss, size_hint_x=None, width=px(110)))
        box.add_widget(header)

        def submit(value: str) -> None:
            self.dismiss()
            on_submit(value)

        self.keypad = Keypad(submit, ok_text, clear_text, prefixes)
        box.add_widget(self.keypad)
        self.add_widget(box)


def scrolling_grid(cols: int, row_height: float | None = None) -> tuple[ScrollView, GridLayout]:
    """A grid as tall as its content inside a scroll view: lists longer than the screen (a class of
    children, the week's rows, damage records). Add the rows to the grid, the scroll view to the page."""
    rows: dict[str, Any] = {"row_default_height": row_height, "row_force_default": True} if row_height else {}
    grid = GridLayout(cols=cols, spacing=px(6), size_hint_y=None, **rows)
    grid.bind(minimum_height=grid.setter("height"))
    scroll = ScrollView(bar_width=px(6))
    scroll.add_widget(grid)
    return scroll, grid


class TableRow(BoxLayout):
    """One line of an administrator's list; cells are shortened with … if a name is long."""

    cells = ListProperty([])
    weights = ListProperty([])
    tint = ListProperty([1, 1, 1, 1])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spacing = px(6)
        self.padding = (px(8), 0)
        with self.canvas.before:
            self._bg_colour = Color(1, 1, 1, 1)
            self._bg = RoundedRectangle(radius=[px(6)])
        self.bind(pos=self._paint, size=self._paint, tint=self._paint)
        self.bind(cells=self._fill, weights=self._fill)

    def _paint(self, *_: Any) -> None:
        self._bg_colour.rgba = self.tint
        self._bg.pos, self._bg.size = (self.x, self.y + 1), (self.width, self.height - 2)

    def _fill(self, *_: Any) -> None:
        if len(self.children) != len(self.cells):
            self.clear_widgets()
            for _ in self.cells:
                self.add_widget(FitText(halign="left", font_size=px(theme.FONT_SMALL + 1)))
        labels = list(reversed(self.children))
        weights = self.weights or [1] * len(self.cells)
        for label, text, weight in zip(labels, self.cells, weights, strict=False):
            label.text = str(text)
            label.size_hint_x = weight

    def refresh_view_attrs(self, rv: Any, index: int, data: dict[str, Any]) -> None:  # RecycleView hook
        for key, value in data.items():
            setattr(self, key, value)


class Table(BoxLayout):
    """A header and a scrolling list (RecycleView: only the visible rows exist, even for 200 loans)."""

    def __init__(
        self, headers: Sequence[str], weights: Sequence[float], empty_text: str, **kwargs: Any
    ) -> None:
        kwargs.setdefault("orientation", "vertical")
        kwargs.setdefault("spacing", px(4))
        super().__init__(**kwargs)
        self.weights = list(weights)
        self.empty_text = empty_text
        head = TableRow(size_hint_y=None, height=px(36))
        head.tint = list(theme.TOGGLE_OFF)
        head.weights = self.weights
        head.cells = list(headers)
        self.add_widget(head)
        self.view = RecycleView()
        from kivy.uix.recycleboxlayout import RecycleBoxLayout  # noqa: PLC0415

        layout = RecycleBoxLayout(
            orientation="vertical",
            size_hint_y=None,
            default_size=(None, px(40)),
            default_size_hint=(1, None),
            spacing=px(2),
        )
        layout.bind(minimum_height=layout.setter("height"))
        self.view.add_widget(layout)
        self.view.viewclass = TableRow  # forwarded to the layout manager: only after it is added
        self.view.bar_width = px(8)
        self.view.scroll_type = ["bars", "content"]
        self.add_widget(self.view)

    def show(self, rows: Sequence[Sequence[str]], tints: Sequence[theme.RGBA] | None = None) -> None:
        if not rows:
            rows = [[self.empty_text] + [""] * (len(self.weights) - 1)]
        self.view.data = [
            {
                "cells": list(row),
                "weights": self.weights,
                "tint": list(tints[i] if tints else (theme.SURFACE if i % 2 else (0.97, 0.97, 0.99, 1))),
            }
            for i, row in enumerate(rows)
        ]
