"""A card reader for fast tests of the services and the UI, driven through the real debouncer.

`FakeReader` is a `CardReader` (its `taps()` blocks in another thread like a real reader's) whose time
is a `ManualClock`: `hold(card, seconds=3)` reports the card every 0.1 s for three "seconds" without
sleeping, and the debouncer decides, exactly as it does for real readers, that this was one tap.

    reader = FakeReader()
    reader.hold("04A2B3C4", seconds=3)     # a card resting on the reader: one tap
    reader.tap("04A2B3C4")                 # lifted, and tapped again a while later: a second tap
    reader.tap("04A2B3C4", after=0.3)      # a fumbled double tap: no third tap
    assert [t.uid for t in reader.pending()] == ["04A2B3C4", "04A2B3C4"]

`keystrokes` makes key events for `WedgeDecoder` / `ReaderHub.feed_key` the way a wedge reader or a
person would type them.
"""

from __future__ import annotations

from collections.abc import Iterator

from db.card_uid import normalise_uid
from hardware.base import CardTap, Scan, UnreadableCode
from hardware.debounce import DEFAULT_GAP_SECONDS
from hardware.hub import ReaderHub
from hardware.wedge import WedgeDecoder


class ManualClock:
    """Monotonic seconds that only move when told to. Starts at an arbitrary positive value."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.advance_to(self.now + seconds)

    def advance_to(self, when: float) -> None:
        if when < self.now:
            raise ValueError("monotonic time does not go backwards")
        self.now = when


class FakeReader:
    def __init__(
        self,
        name: str = "fake reader",
        *,
        debounce_seconds: float = DEFAULT_GAP_SECONDS,
        repeat_seconds: float = 0.1,
        clock: ManualClock | None = None,
        wedge: WedgeDecoder | None = None,
    ) -> None:
        if not 0 < repeat_seconds < debounce_seconds:
            raise ValueError("a resting card must be re-reported faster than the debounce gap")
        self.name = name
        self.clock = clock or ManualClock()
        self.debounce_seconds = debounce_seconds
        self.repeat_seconds = repeat_seconds
        self._hub = ReaderHub(debounce_seconds=debounce_seconds, clock=self.clock, wedge=wedge)

    def tap(self, card: str, *, after: float | None = None) -> None:
        """A card touched to the reader and lifted. `after`: seconds since the previous tap or hold
        ended; by default long enough for the card to count as tapped again."""
        self.hold(card, seconds=0, after=after)

    def hold(self, card: str, seconds: float, *, after: float | None = None) -> None:
        """A card resting on the reader for `seconds`, reported every `repeat_seconds` meanwhile."""
        self.clock.advance(2 * self.debounce_seconds if after is None else after)
        uid = normalise_uid(card)
        end = self.clock.now + seconds
        while True:
            self._hub.seen(uid, self.name, self.clock.now)
            if self.clock.now >= end:
                return
            self.clock.advance_to(min(end, self.clock.now + self.repeat_seconds))

    def feed_key(self, key: str, at: float) -> Scan | UnreadableCode | None:
        """Key events, as on `ReaderHub.feed_key`: with a `wedge`, this fake also stands in for a
        keyboard-wedge reader and barcode scanner (the UI tests type through it); without one, None."""
        return self._hub.feed_key(key, at)

    def status(self) -> dict[str, str]:
        """As `ReaderHub.status`: the keyboard-wedge reader this fake stands in for, if it has one."""
        return self._hub.status()

    def pending(self) -> list[CardTap]:
        """Every tap not yet taken, without blocking (for tests that run the consumer themselves)."""
        taps = []
        while (tap := self._hub.get(timeout=0)) is not None:
            taps.append(tap)
        return taps

    def get(self, timeout: float | None = None) -> CardTap | None:
        return self._hub.get(timeout)

    def taps(self) -> Iterator[CardTap]:
        return self._hub.taps()

    def close(self) -> None:
        self._hub.close()


def keystrokes(text: str, *, start: float, key_gap: float, enter: bool = True) -> list[tuple[str, float]]:
    """(key, time) events for typing `text` one key every `key_gap` seconds, then Enter.

    A wedge reader types a key every 5-30 ms (`key_gap=0.01`); a person, 150 ms or more.
    """
    keys = [*text, "enter"] if enter else list(text)
    return [(key, start + i * key_gap) for i, key in enumerate(keys)]
