"""A keypad on big keys for a label the scanner cannot read, or an amount: nothing to type on a keyboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.modalview import ModalView

from kiosk.ui import theme
from kiosk.ui.widgets.buttons import button
from kiosk.ui.widgets.scale import px
from kiosk.ui.widgets.text import FitText, Panel


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
