"""Drive the real KioskApp in this process: Kivy's event loop is stepped by the test, not by run().

Why in-process and stepped: the test decides when a frame happens, so "tap, then wait until the
worker's answer is on screen" needs no sleeps and no second channel to a subprocess; touches go
through Kivy's real input dispatch (UnitTestTouch → EventLoop → Window → widgets); screenshots read
the frame the test just drew. App start-up is what App.run() does before its loop (_run_prepare).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.app import App
from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from db.clock import ManualClock
from hardware.base import CardTap
from hardware.fake import FakeReader
from hardware.fake import ManualClock as ReaderClock
from hardware.wedge import WedgeDecoder
from kiosk.platform.config import KioskConfig
from kiosk.ui.app import KioskApp, Startup

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")


def plain(text: str) -> str:
    """What a label shows: its markup tags gone, its escapes back to the characters they stand for."""
    return MARKUP.sub("", text).replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")


def step(frames: int = 1) -> None:
    for _ in range(frames):
        EventLoop.idle()
        Window.mainloop()  # SDL events (window resizes)


def no_popup_fading() -> bool:
    """A dismissed popup fades out while still on the window, catching touches meant for the screen."""
    popups = {w.uid for w in Window.children if isinstance(w, ModalView)}
    animated = {info["widget"].uid for a in Animation._instances for info in a._widgets.values()}
    return not popups & animated


def resize_window(size: tuple[int, int]) -> None:
    Window.size = size
    deadline = time.monotonic() + 5
    while tuple(Window.size) != tuple(size) and time.monotonic() < deadline:
        step()
    assert tuple(Window.size) == tuple(size), f"window is {Window.size}, wanted {size}"
    # Mesa notices the X drawable's new size only on later frames: until then pixels outside the old
    # size are garbage in a screenshot (the widgets are already laid out right).
    for _ in range(10):
        time.sleep(0.02)
        step()


class KioskDriver:
    def __init__(
        self,
        db_path: Path,
        clock: ManualClock,
        config: KioskConfig,
        locale: str = "zh_CN",
        sync: Any = None,
        start_sync: Any = None,
        opens: bool = True,
    ) -> None:
        """`opens` False: the database is not expected to open (a start-up refusal is on screen)."""
        # The real fake: taps go through the hub's debouncer, keys through the real wedge decoder.
        self.reader = FakeReader("test reader", clock=ReaderClock(time.monotonic()), wedge=WedgeDecoder())
        self.clock = clock
        self.app = KioskApp(
            config, Startup(db_path, clock), locale, readers=self.reader, sync=sync, start_sync=start_sync
        )
        self.taps_seen = 0
        self.stopped = False
        handle_tap = self.app.handle_tap

        def counted(tap: CardTap) -> None:  # lets `card` wait for exactly its own tap, no sleeping
            self.taps_seen += 1
            handle_tap(tap)

        self.app.handle_tap = counted  # type: ignore[method-assign]
        self.app._run_prepare()  # build, add to the window, on_start — exactly what App.run() does first
        if opens:
            self.wait_until(lambda: self.app.ctrl_ready, "the database to open")
        else:
            assert self.app.worker is not None and self.app.worker.wait_idle(15)
        self.settle()

    def stop(self) -> None:
        """Close the app as its window closing would; a second call (the fixture's) does nothing."""
        if self.stopped:
            return
        self.stopped = True
        self.app.dispatch("on_stop")
        self.reader.close()
        for child in Window.children[:]:
            Window.remove_widget(child)
        App._running_app = None

    # -- time -------------------------------------------------------------------------------------
    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what} on {self.screen}: {self.texts()}")
            step()

    def settle(self) -> None:
        """Until the worker has answered, the answers are drawn, and no transition is running."""
        worker = self.app.worker
        assert worker is not None
        for _ in range(3):
            self.wait_until(lambda: worker.wait_idle(0), "the worker")
            step(3)
            self.wait_until(lambda: not self.app.sm.transition.is_active, "the screen transition")
            self.wait_until(no_popup_fading, "a popup to finish fading")
        step(2)

    # -- what is on screen ------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        return self.app.sm.current

    def widgets(self) -> Iterator[Widget]:
        """Bottom to top: the screens first, then any popup (Window.children[0] is the top-most)."""
        for root in reversed(Window.children):
            yield from root.walk(restrict=True)

    def texts(self) -> list[str]:
        return [plain(w.text) for w in self.widgets() if isinstance(w, Label) and w.text and w.opacity > 0]

    def popups(self) -> list[ModalView]:
        """Popups open over the screens (the barcode keypad)."""
        return [w for w in Window.children if isinstance(w, ModalView)]

    def sees(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())

    def button(self, fragment: str) -> Button:
        found = [
            w
            for w in self.widgets()
            if isinstance(w, Button) and fragment in plain(w.text) and not w.disabled and w.opacity > 0
        ]
        assert found, f"no button with {fragment!r} on {self.screen}: {self.texts()}"
        return found[-1]  # the top-most (popups are added last)

    # -- doing things -----------------------------------------------------------------------------
    def press(self, fragment: str | Widget) -> None:
        """A finger down and up on the middle of the button, through Kivy's real input dispatch."""
        target = self.button(fragment) if isinstance(fragment, str) else fragment
        parent = target.parent
        while parent is not None and parent is not Window:
            if isinstance(parent, ScrollView):  # a finger scrolls first; so does the test
                parent.scroll_to(target, padding=10, animate=False)
                step(2)
            parent = parent.parent
        x, y = target.to_window(*target.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        step()
        touch.touch_up()
        self.settle()

    def touch(self, fragment: str) -> None:
        """A finger on the middle of whatever shows `fragment` (a label, not only a button)."""
        found = [
            w for w in self.widgets() if isinstance(w, Label) and fragment in plain(w.text) and w.opacity > 0
        ]
        assert found, f"nothing shows {fragment!r} on {self.screen}: {self.texts()}"
        self.press(found[-1])

    def keypad_key(self, digit: str) -> Button:
        """A digit key on the open keypad (exact text, unlike `button`, which matches fragments)."""
        keys = [w for w in self.widgets() if isinstance(w, Button) and plain(w.text) == digit]
        assert keys, f"no key {digit!r}"
        return keys[-1]

    def card(self, uid: str) -> None:
        """A card tapped on the (fake) reader: through the hub, the pump thread and the UI thread."""
        before = self.taps_seen
        self.reader.tap(uid)
        self.wait_until(lambda: self.taps_seen > before, "the tap to reach the UI")
        self.settle()

    def type_keys(self, text: str, key_gap: float = 0.0) -> None:
        """Keys as SDL2 reports them to Kivy: for a capital, a key-down for Shift itself (keycode 304,
        codepoint "İ") and then the unshifted key with a "shift" modifier; then Enter. `key_gap` 0 is
        a wedge device (milliseconds apart); 0.1 s and up is a person. (test_real_keys types through
        the X server instead.)"""
        for char in text:
            mods = ["shift"] if char.isupper() else []
            if mods:
                Window.dispatch("on_key_down", 304, 225, chr(304), mods)
            Window.dispatch("on_key_down", ord(char.lower()), 0, char.lower(), mods)
            if key_gap:  # a person: the kiosk's loop looks at the keyboard in between and finds nothing
                time.sleep(key_gap)
                step(2)
        Window.dispatch("on_key_down", 13, 40, None, [])

    def scan(self, code: str) -> None:
        """A barcode scanner (keyboard wedge) reading `code`."""
        self.type_keys(code)
        self.settle()

    def wedge_card(self, uid: str) -> None:
        """A card on a keyboard-wedge reader: it types the number; the hub makes it a tap."""
        before = self.taps_seen
        self.type_keys(uid)
        self.wait_until(lambda: self.taps_seen > before, "the typed card to reach the UI")
        self.settle()

    def screenshot(self, name: str) -> Path:
        target = SCREENSHOTS / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        step(2)
        Window.update_viewport()
        Window.dispatch("on_draw")  # draw now, then read the pixels of exactly this frame
        tmp = Window.screenshot(name=str(target.with_name(f".{target.name}")))
        os.replace(tmp, target)
        step()
        return target

    def expire_inactivity_now(self) -> None:
        Clock.schedule_once(lambda _dt: self.app.go_idle(), 0)
        self.settle()


def as_list(value: Any) -> list[Any]:
    return list(value)
