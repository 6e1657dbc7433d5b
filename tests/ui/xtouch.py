"""A finger on the touchscreen and a card on the wedge reader, both as real X events (xdotool): the
driver finds the button by its words, the X server clicks it, SDL and Kivy carry it to the widget."""

from __future__ import annotations

import os
from typing import Any

from kivy.base import EventLoop
from kivy.config import Config
from kivy.core.window import Window
from kivy.input.factory import MotionEventFactory
from kivy.uix.button import Button
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from tests.ui.driver import plain, step
from tests.ui.xkeys import XKeyboard


class _Fingers:
    """Counts touches lifted from the window (bound once for the session)."""

    def __init__(self) -> None:
        self.put_down = 0
        self.lifted = 0
        self.bound = False

    def bind(self) -> None:
        if not self.bound:
            Window.bind(on_touch_down=self._down, on_touch_up=self._up)
            self.bound = True

    def _down(self, _window: Any, _touch: Any) -> bool:
        self.put_down += 1
        return False

    def _up(self, _window: Any, _touch: Any) -> bool:
        self.lifted += 1
        return False


_FINGERS = _Fingers()


def configured_input() -> None:
    """The input providers the config names (the mouse: SDL's pointer, X's clicks), started as
    `runTouchApp` starts them; the tests step the loop themselves and never call it. Once."""
    running = {type(p) for p in EventLoop.input_providers}
    for name, args in Config.items("input"):
        provider_type = MotionEventFactory.get(args.split(",", 1)[0])
        if provider_type is None or provider_type in running:
            continue
        provider = provider_type(name, args.split(",", 1)[1] if "," in args else "")
        if provider is None:  # a probe that found no device of its kind makes none
            continue
        EventLoop.add_input_provider(provider, auto_remove=True)
        provider.start()


class XRoom:
    """The room's hands: `touch` a button by a fragment of its words, `card` a card on the wedge."""

    def __init__(self, kiosk: Any) -> None:
        configured_input()
        _FINGERS.bind()
        self.kiosk = kiosk
        self.x = XKeyboard(os.environ["DISPLAY"], pump=step)
        self.x.focus(os.getpid())

    def touch(self, fragment: str | Widget) -> None:
        target = self.kiosk.button(fragment) if isinstance(fragment, str) else fragment
        x, y = self._on_screen(target)
        down, up = _FINGERS.put_down, _FINGERS.lifted
        self.x.click(x, Window.height - y)
        # On a busy machine X may hand the click over a while after xdotool has finished; now and
        # then (under load, seen once in a few hundred) none arrives at all: the finger taps again.
        try:
            self.kiosk.wait_until(lambda: _FINGERS.put_down > down, "the click to reach the window", 5)
        except AssertionError:
            self.x.click(x, Window.height - y)
        self.kiosk.wait_until(lambda: _FINGERS.lifted > up, "the finger to be lifted")
        self.kiosk.settle()

    def _on_screen(self, target: Widget) -> tuple[float, float]:
        """Where a finger finds `target`: scrolled into view first, as a finger scrolls; a list just
        filled may need a frame or two to lay itself out before its rows are where they will be."""
        for _ in range(20):
            parent = target.parent
            while parent is not None and parent is not Window:
                # Only a list taller than its view scrolls (Kivy's scroll_to on a shorter one sets a
                # scroll_y far outside 0..1 and throws the list off the screen).
                if (
                    isinstance(parent, ScrollView)
                    and parent.children
                    and parent.children[0].height > parent.height
                ):
                    parent.scroll_to(target, padding=10, animate=False)
                parent = parent.parent
            step(2)
            x, y = target.to_window(*target.center)
            if 0 <= x < Window.width and 0 <= y < Window.height:
                return x, y
        raise AssertionError(f"{plain(getattr(target, 'text', ''))!r} is not on the screen at {(x, y)}")

    def touch_exactly(self, text: str) -> None:
        """The button that says exactly `text` (还, not a tile saying 还有 5 个)."""
        found = [w for w in self.kiosk.widgets() if isinstance(w, Button) and plain(w.text) == text]
        assert found, f"no button saying {text!r}: {self.kiosk.texts()}"
        self.touch(found[-1])

    def card(self, uid: str) -> None:
        """The card on a keyboard-wedge reader: it types the number and Enter."""
        before = self.kiosk.taps_seen
        self.x.type(uid)
        self.kiosk.wait_until(lambda: self.kiosk.taps_seen > before, "the typed card to reach the UI")
        self.kiosk.settle()

    def scan(self, code: str) -> None:
        self.x.type(code)
        self.kiosk.settle()
