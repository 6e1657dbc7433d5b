"""The background sync thread: syncs when the network is there, backs off when it is not.

One thread, its own database connections, and nothing the UI waits on: the UI reads `status()` (a
short read of the database) and may call `sync_now()` (sets a flag). After a failure the next try
waits an exponentially growing delay with "equal jitter" (half fixed, half random), so twenty kiosks
that lost the network together do not all come back in the same second, and a kiosk never retries
faster than half its back-off.
"""

from __future__ import annotations

import logging
import random
import threading

from db.storage_errors import storage_trouble
from sync.client.client import NotEnrolled, SyncClient
from sync.client.pull import RosterMismatch
from sync.client.status import SyncStatus
from sync.client.transport import TransportError

log = logging.getLogger("sync.worker")


class Backoff:
    def __init__(self, base: float = 2.0, cap: float = 600.0, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` failures in a row (at least 1)."""
        ceiling = min(self.cap, self.base * 2 ** (failures - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


class SyncWorker:
    def __init__(self, client: SyncClient, interval: float = 60.0, backoff: Backoff | None = None) -> None:
        self.client = client
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def sync_now(self) -> None:
        """Ask for a sync as soon as the current one (if any) is done; returns at once."""
        self._wake.set()

    def status(self) -> SyncStatus:
        return self.client.status()

    def next_delay(self) -> float:
        return self.interval if self.failures == 0 else self.backoff.delay(self.failures)

    def run_once(self) -> bool:
        """One attempt; the outcome is recorded in the database by the client. True on success."""
        try:
            self.client.sync_once()
        except NotEnrolled:
            self.failures = 0  # nothing to do until someone enrols the kiosk; check now and then
            return False
        except (TransportError, RosterMismatch) as exc:
            self.failures += 1
            log.warning("sync failed (%d in a row): %s", self.failures, exc)
            return False
        except Exception as exc:  # the thread must survive anything; the next try may succeed
            self.failures += 1
            trouble = storage_trouble(exc, self.client.db_path)
            if trouble is not None:  # the card, not a bug: it mends itself once space is freed
                log.warning(
                    "sync could not write to this kiosk's storage (%s), %d in a row",
                    trouble.value,
                    self.failures,
                )
                return False
            # Only the type above DEBUG: a database error's message and traceback quote the rows being
            # written, and a pull writes children's and callees' names and phone numbers.
            log.error("sync crashed (%d in a row): %s", self.failures, type(exc).__name__)
            log.debug("sync crashed", exc_info=True)
            return False
        self.failures = 0
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before the sync: a sync_now() asked during it runs one more at once
            self.run_once()
            self._wake.wait(self.next_delay())
