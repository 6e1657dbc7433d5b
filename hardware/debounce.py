"""Turning raw "card seen" observations into taps: the one place the kiosk debounces.

Readers disagree on what they report while a card rests on them. An RDM6300 repeats its frame, some
keyboard-wedge readers retype the number, PC/SC reports an insertion once and a removal later. So every
adapter reports *sightings* (a `CardTap` meaning "this card is on this reader now") and keeps reporting
them while it knows the card is still there (the PC/SC adapter re-reports on every poll). This class
decides which sightings are taps:

* a card is "present" while its sightings are less than `gap` seconds apart, so a card resting on a
  reader, however long, is one tap;
* a card seen again after at least `gap` seconds without a sighting is a new tap (lifted and tapped again);
* a card that bounces at the edge of the field (seen, lost, seen within `gap`) stays one tap.

The key is the UID alone, not (reader, UID): a child whose card is read by two readers at once, or who
taps the wrong reader and then the right one, has tapped once.

Time comes from the sightings themselves (monotonic seconds), never from a clock here, so tests drive it
with a manual clock and run instantly.
"""

from __future__ import annotations

import threading

from hardware.base import CardTap

DEFAULT_GAP_SECONDS = 1.5
"""How long a card must be away before it counts as tapped again.

Long enough to swallow a resting card's repeated reads (PC/SC re-reports every 0.25 s; RDM6300-style
modules repeat well inside a second) and a child's fumbled double tap; short enough that a child who
lifts the card and deliberately taps again a couple of seconds later is heard.
"""


class Debouncer:
    """Thread-safe: every adapter thread feeds the same instance."""

    def __init__(self, gap: float = DEFAULT_GAP_SECONDS) -> None:
        if gap <= 0:
            raise ValueError("the debounce gap must be positive")
        self.gap = gap
        self._last_seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def observe(self, sighting: CardTap) -> CardTap | None:
        """Record a sighting; return it as a tap if it starts a new presentation of the card."""
        with self._lock:
            last = self._last_seen.get(sighting.uid)
            # Sightings from different threads can arrive slightly out of order; never move time back.
            self._last_seen[sighting.uid] = sighting.at if last is None else max(last, sighting.at)
            self._forget_older_than(sighting.at - self.gap)
            if last is not None and sighting.at - last < self.gap:
                return None
            return sighting

    def _forget_older_than(self, horizon: float) -> None:
        """Cards not seen for a whole gap can only produce a new tap; drop them so memory stays small."""
        if len(self._last_seen) > 64:
            for uid in [uid for uid, at in self._last_seen.items() if at < horizon]:
                del self._last_seen[uid]
