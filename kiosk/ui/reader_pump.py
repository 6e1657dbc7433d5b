"""Card taps cross from the reader hub's world (threads, blocking queues) into Kivy's (one UI thread).

The hub (`hardware.hub.ReaderHub`) owns the adapters, debouncing and reconnecting. The pump only waits
on the hub's blocking `get` on its own thread and posts each tap to the UI thread, so a reader that
hangs or a slow USB bus never stalls a frame. It polls with a short timeout instead of closing the hub
to stop: the hub belongs to whoever opened it (the launcher, or a test), not to the app.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from hardware.base import CardTap, Scan, UnreadableCode

log = logging.getLogger(__name__)
Post = Callable[[Callable[[], None]], None]
POLL_SECONDS = 0.25


class Readers(Protocol):
    """What the app needs from `ReaderHub` (and from `hardware.fake.FakeReader` in tests)."""

    def get(self, timeout: float | None = None) -> CardTap | None: ...

    def feed_key(self, key: str, at: float) -> Scan | UnreadableCode | None:
        """Keyboard-wedge readers and barcode scanners arrive as the UI's key events; a complete code
        that is no card comes back as a `Scan`, or an `UnreadableCode` to answer "try again"."""
        ...

    def close(self) -> None: ...


class ReaderPump:
    def __init__(
        self, readers: Readers, on_tap: Callable[[CardTap], None], post: Post, retry_seconds: float = 2.0
    ) -> None:
        self._readers = readers
        self._on_tap = on_tap
        self._post = post
        self._retry = retry_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-taps", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            asked = time.monotonic()
            try:
                tap = self._readers.get(timeout=POLL_SECONDS)
            except Exception as exc:  # noqa: BLE001 - a broken hub must not take the kiosk down
                log.warning("card reader hub failed (%s); retrying", type(exc).__name__)
                self._stopping.wait(self._retry)
                continue
            if tap is None and time.monotonic() - asked < POLL_SECONDS / 2:
                self._stopping.wait(POLL_SECONDS)  # a closed hub answers None at once: do not spin
            elif tap is not None and not self._stopping.is_set():
                self._post(lambda t=tap: self._on_tap(t))
