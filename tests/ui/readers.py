"""A card reader for tests: the CardReader protocol over a queue (hardware/fake.py is not on main yet)."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

from hardware.base import CardTap


class QueueReader:
    def __init__(self) -> None:
        self._queue: queue.Queue[CardTap | None] = queue.Queue()

    def tap(self, uid: str) -> None:
        self._queue.put(CardTap(uid, "test-reader", time.monotonic()))

    def taps(self) -> Iterator[CardTap]:
        while (tap := self._queue.get()) is not None:
            yield tap

    def close(self) -> None:
        self._queue.put(None)
