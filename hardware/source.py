"""What an adapter thread is given, and how it is kept alive when its device comes and goes.

An adapter (`Source`) only knows its device: open it, report sightings, raise when the device fails.
Reconnecting with backoff, logging failures without flooding the log, and stopping on `close()` are
done once here, for every adapter, by `supervise`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True)
class SourceLink:
    """The adapter's side of the hub: where sightings go and how it learns it must stop."""

    stop: threading.Event
    clock: Clock
    seen: Callable[[str, str, float], None]
    """Report a raw sighting: (normalised uid, reader name, monotonic time). The hub debounces."""
    connected: Callable[[str], None]
    """Tell the supervisor the device is open and working (resets the backoff); the text is for the log."""


class Source(Protocol):
    """One physical reader (or, for PC/SC, one daemon with any number of readers)."""

    @property
    def name(self) -> str:
        """For log lines: which device this is (a port or "PC/SC"), never who tapped."""
        ...

    def run(self, link: SourceLink) -> None:
        """Open the device and report sightings until `link.stop` is set.

        Returns when stopped; raises when the device fails or disappears. Must notice `link.stop`
        within a fraction of a second (use read timeouts, not blocking reads).
        """
        ...


class Backoff:
    """Exponential reconnect delays: quick when a cable wiggles, gentle when a reader is gone for good."""

    def __init__(self, first: float, most: float) -> None:
        if first <= 0 or most < first:
            raise ValueError("need 0 < first <= most")
        self.first = first
        self.most = most
        self._next = first

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.most, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.first


class Supervisor:
    """Runs one `Source` in the calling thread until `stop` is set, restarting it after each failure.

    The first failure after a working period is a WARNING (the administrator should know the reader went
    away); repeats of the same failure while it stays away are DEBUG, so an unplugged reader does not fill
    the SD card with log lines. A source that reports `connected` resets both the backoff and that memory.
    """

    def __init__(
        self,
        source: Source,
        *,
        stop: threading.Event,
        clock: Clock,
        seen: Callable[[str, str, float], None],
        backoff: Backoff,
        on_status: Callable[[str | None], None] = lambda failure: None,
    ) -> None:
        self.source = source
        self.backoff = backoff
        self.on_status = on_status
        """Told None when the source reports connected, and the failure text each time it fails."""
        self.link = SourceLink(stop=stop, clock=clock, seen=seen, connected=self._connected)
        self._last_failure: str | None = None

    def _connected(self, what: str) -> None:
        self.backoff.reset()
        self._last_failure = None
        log.info("%s: %s", self.source.name, what)
        self.on_status(None)

    def run(self) -> None:
        stop = self.link.stop
        while not stop.is_set():
            try:
                self.source.run(self.link)
                if stop.is_set():
                    return
                failure = "stopped without an error"
            except Exception as exc:  # a failing reader must never take down the kiosk
                failure = f"{type(exc).__name__}: {exc}"
            if stop.is_set():
                return
            self.on_status(failure)
            delay = self.backoff.next_delay()
            if failure != self._last_failure:
                log.warning("%s: %s; retrying in %.1f s", self.source.name, failure, delay)
            else:
                log.debug("%s: still failing (%s); retrying in %.1f s", self.source.name, failure, delay)
            self._last_failure = failure
            stop.wait(delay)


class ReaderUnavailable(Exception):
    """The device is absent or stopped answering; the supervisor will try again."""
