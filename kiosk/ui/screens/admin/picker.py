"""Picking a child without typing: the class first, then the name (the kiosk has no Chinese input).

Shared by every page that needs a child (card registration, the hotline, emergencies, damage).
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.services.signin import ChildSummary
from kiosk.ui import theme
from kiosk.ui.controller import KioskController
from kiosk.ui.widgets import FitText, KButton, button, px, scrolling_grid


class ChildPicker:
    """Draws the two steps into `body`; `on_pick` gets the child. `prompt(step)` words each step."""

    def __init__(
        self,
        ctrl: KioskController,
        body: BoxLayout,
        prompt: Callable[[str], str],
        on_pick: Callable[[ChildSummary], None],
        still_shown: Callable[[], bool],
    ) -> None:
        self._ctrl = ctrl
        self._body = body
        self._prompt = prompt
        self._on_pick = on_pick
        self._shown = still_shown
        self.child_buttons: list[KButton] = []

    def start(self) -> None:
        self._ctrl.class_names(self._classes)

    def _classes(self, names: list[str]) -> None:
        if not self._shown():
            return
        self._step("class")
        grid = GridLayout(cols=4, spacing=px(6))
        for name in names:
            grid.add_widget(
                button(
                    name,
                    theme.PRIMARY,
                    lambda n=name: self._ctrl.children_in_class(n, self._children),
                    font_size=px(theme.FONT_BODY),
                )
            )
        self._body.add_widget(grid)

    def _children(self, children: list[ChildSummary]) -> None:
        if not self._shown():
            return
        self._step("child")
        scroll, grid = scrolling_grid(4, px(theme.TOUCH_MIN))
        self.child_buttons = [
            button(child.name, theme.BOOKS, lambda c=child: self._on_pick(c), font_size=px(theme.FONT_BODY))
            for child in children
        ]
        for child_button in self.child_buttons:
            grid.add_widget(child_button)
        self._body.add_widget(scroll)

    def _step(self, step: str) -> None:
        self._body.clear_widgets()
        self._body.add_widget(FitText(text=self._prompt(step), size_hint_y=None, height=px(34)))
