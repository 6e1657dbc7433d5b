"""The card reader's blocking `taps()` iterator runs on its own thread; each tap is posted to the UI.

The reader adapters (hardware/) own debouncing and reconnecting; the pump only moves taps across the
thread boundary and keeps going if the iterator ends with an error (a reader unplugged mid-read).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hardware.base import CardReader, CardTap

log = logging.getLogger(__name__)
Post = Callable[[Callable[[], None]], None]


class ReaderPump:
    def __init__(
        self, reader: CardReader, on_tap: Callable[[CardTap], None], post: Post, retry_seconds: float = 2.0
    ) -> None:
        self._reader = reader
        self._on_tap = on_tap
        self._post = post
        self._retry = retry_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._reader.close()  # unblocks taps()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                for tap in self._reader.taps():
                    if self._stopping.is_set():
                        return
                    self._post(lambda t=tap: self._on_tap(t))
                return  # the reader was closed
            except Exception as exc:  # noqa: BLE001 - a flaky reader must not take the kiosk down
                log.warning("card reader failed (%s); retrying", type(exc).__name__)
                self._stopping.wait(self._retry)
