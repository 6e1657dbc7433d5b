"""All of a kiosk's readers as one `CardReader`.

Each adapter runs in its own thread under a `Supervisor` (so one broken reader never stops the others,
and each reconnects with its own backoff); every sighting goes through the one shared `Debouncer`; the
resulting taps come out of one queue in the order they happened to arrive. Keyboard-wedge readers have no
thread: the UI feeds key events to `feed_key` on its own thread and gets barcode `Scan`s back directly.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator

from hardware.base import CardTap, Scan, UnreadableCode, uid_tag
from hardware.debounce import DEFAULT_GAP_SECONDS, Debouncer
from hardware.source import Backoff, Clock, Source, Supervisor
from hardware.wedge import WedgeDecoder

log = logging.getLogger(__name__)

_CLOSED = object()
KEYBOARD_LISTENING = "listening"
KEYBOARD_WORKING = "working"


class ReaderHub:
    """A merged, debounced `CardReader` over any number of adapters."""

    def __init__(
        self,
        sources: Iterable[Source] = (),
        *,
        debounce_seconds: float = DEFAULT_GAP_SECONDS,
        reconnect_first_seconds: float = 0.5,
        reconnect_most_seconds: float = 10.0,
        wedge: WedgeDecoder | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.sources = list(sources)
        self.clock = clock
        self.wedge = wedge
        self._debouncer = Debouncer(debounce_seconds)
        self._queue: queue.Queue[object] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._status: dict[str, str] = {source.name: "starting" for source in self.sources}
        if wedge is not None:  # no thread to connect: it listens from the start, works once it typed
            self._status[wedge.settings.reader] = KEYBOARD_LISTENING
        self._status_changed = threading.Condition()
        for source in self.sources:
            supervisor = Supervisor(
                source,
                stop=self._stop,
                clock=clock,
                seen=self.seen,
                backoff=Backoff(reconnect_first_seconds, reconnect_most_seconds),
                on_status=functools.partial(self._set_status, source.name),
            )
            thread = threading.Thread(target=supervisor.run, name=f"reader {source.name}", daemon=True)
            self._threads.append(thread)

    def start(self) -> ReaderHub:
        for thread in self._threads:
            thread.start()
        return self

    def __enter__(self) -> ReaderHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- reader status (for the administrator's screen and for tests) -----------------------------------

    def _set_status(self, source_name: str, failure: str | None, state: str = "connected") -> None:
        with self._status_changed:
            self._status[source_name] = state if failure is None else f"failing: {failure}"
            self._status_changed.notify_all()

    def status(self) -> dict[str, str]:
        """Each adapter's state: "starting", "connected" or "failing: <why>"; a keyboard-wedge reader's
        "listening" until it has typed a code, then "working". Never names a child."""
        with self._status_changed:
            return dict(self._status)

    def wait_until_connected(self, timeout: float, source_name: str | None = None) -> bool:
        """Block until every adapter (or the named one) is connected; False on timeout."""

        def ready() -> bool:
            names = [source_name] if source_name is not None else [s.name for s in self.sources]
            return all(self._status.get(name) == "connected" for name in names)

        with self._status_changed:
            return self._status_changed.wait_for(ready, timeout)

    # --- input side -------------------------------------------------------------------------------------

    def seen(self, uid: str, reader: str, at: float) -> None:
        """A raw sighting from any adapter thread; becomes a tap if the debouncer says it is one."""
        tap = self._debouncer.observe(CardTap(uid=uid, reader=reader, at=at))
        if tap is not None:
            log.debug("tap %s on %s", uid_tag(tap.uid), tap.reader)
            self._queue.put(tap)

    def feed_key(self, key: str, at: float) -> Scan | UnreadableCode | None:
        """A key event from the UI (see `WedgeDecoder.feed`). Card numbers become taps on this hub;
        barcodes and codes nobody can use are returned for the caller to answer; human typing gives
        None."""
        if self.wedge is None:
            return None
        result = self.wedge.feed(key, at)
        if result is not None and self._status.get(self.wedge.settings.reader) != KEYBOARD_WORKING:
            self._set_status(self.wedge.settings.reader, None, KEYBOARD_WORKING)
        if isinstance(result, UnreadableCode):
            log.warning(
                "%s: a code of %d characters refused (%s; shape %s)",
                self.wedge.settings.reader,
                result.length,
                result.why,
                result.shape,
            )
        if isinstance(result, CardTap):
            self.seen(result.uid, result.reader, result.at)
            return None
        return result

    # --- output side ------------------------------------------------------------------------------------

    def get(self, timeout: float | None = None) -> CardTap | None:
        """The next tap, or None after `timeout` seconds or once closed. For UIs that poll."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is _CLOSED:
            self._queue.put(_CLOSED)  # every other waiter must wake up too
            return None
        assert isinstance(item, CardTap)
        return item

    def taps(self) -> Iterator[CardTap]:
        while True:
            tap = self.get()
            if tap is None:
                return
            yield tap

    def close(self) -> None:
        """Stop every adapter thread and end `taps()`. Safe to call twice and from any thread."""
        self._stop.set()
        self._queue.put(_CLOSED)
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout=5)
                if thread.is_alive():
                    log.warning("%s did not stop within 5 s", thread.name)
