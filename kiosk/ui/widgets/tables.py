"""The administrator's lists: a scrolling grid, and a table whose rows exist only while visible."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kivy.graphics import Color, RoundedRectangle
from kivy.properties import ListProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView

from kiosk.ui import theme
from kiosk.ui.widgets.scale import px
from kiosk.ui.widgets.text import CellText


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
    """One line of an administrator's list; a cell wraps and shrinks, and only a name too long even so
    is shortened with …"""

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
                self.add_widget(CellText(halign="left", font_size=px(theme.FONT_SMALL + 1)))
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
        if not rows:  # one cell across the row: the hint is read whole, not cut at the first column
            self.view.data = [{"cells": [self.empty_text], "weights": [1], "tint": list(theme.SURFACE)}]
            return
        self.view.data = [
            {
                "cells": list(row),
                "weights": self.weights,
                "tint": list(tints[i] if tints else (theme.SURFACE if i % 2 else (0.97, 0.97, 0.99, 1))),
            }
            for i, row in enumerate(rows)
        ]
