"""One worker thread for every database call, results posted back to the UI thread.

SQLite takes one writer at a time and a UnitOfWork belongs to one thread, so a single worker is both
the simplest and the correct shape: jobs run in the order the child tapped, and the UI thread never
waits on a disk write (an SD card can stall for a second). `post` is how results get back:
in the app it is Clock.schedule_once; in unit tests it is a list the test drains.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from kiosk.services.errors import Refusal

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]
log = logging.getLogger(__name__)

_STOP = object()


class ServiceWorker:
    def __init__(self, post: Post, name: str = "kiosk-db") -> None:
        self._post = post
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(
        self,
        job: Callable[[], T],
        on_ok: Callable[[T], None],
        on_refused: Callable[[Refusal], None],
        on_error: Callable[[BaseException], None],
        label: str = "job",
    ) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
        self._jobs.put((job, on_ok, on_refused, on_error, label))

    def wait_idle(self, timeout: float) -> bool:
        """True once every submitted job has run (its result may still be waiting to be posted)."""
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is _STOP:
                return
            job, on_ok, on_refused, on_error, label = item
            try:
                result = job()
            except Refusal as refusal:
                self._post(lambda r=refusal, cb=on_refused: cb(r))
            except Exception as exc:  # noqa: BLE001 - the kiosk must survive a bug in one job
                # Only the type: messages and tracebacks of database errors can carry names.
                log.error("%s failed: %s", label, type(exc).__name__)
                log.debug("%s failed", label, exc_info=True)
                self._post(lambda e=exc, cb=on_error: cb(e))
            else:
                self._post(lambda v=result, cb=on_ok: cb(v))
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending == 0:
                        self._idle.set()
