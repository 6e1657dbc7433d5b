"""Keyboard-wedge readers and barcode scanners: telling a machine's typing from a child's.

A USB card reader or barcode scanner that acts as a keyboard "types" its code and presses Enter, a few
milliseconds per key. A person, even a fast typist, needs far longer between keys. So a burst of keys that
all arrive within `max_key_gap` of each other and end in Enter is a machine; anything slower is a human
and is ignored here (the UI still sees those keys for its own text fields).

The decoder is pure: it is fed `(key, monotonic_time)` and knows nothing of Kivy, so the UI can feed it
Window key events and tests can feed it invented timings. A completed code is then sorted by pattern:
card numbers become `CardTap`s (raw sightings; the hub debounces them like any other reader's) and
book barcodes or asset tags become `Scan`s. ISBN-13 barcodes (978/979 + 10 digits) and a 125 kHz reader's
10-digit card number differ in length, so the default patterns keep them apart; rooms with other labels
set their own patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from db.card_uid import normalise_uid
from hardware.base import CardTap, Scan

ENTER_KEYS = frozenset({"\r", "\n", "enter", "return", "numpadenter", "kp_enter"})

DEFAULT_CARD_PATTERNS = (r"\d{10}", r"[0-9A-Fa-f]{8}", r"[0-9A-Fa-f]{14}")
"""10-digit decimal (what 125 kHz wedge readers type, see `hardware.base.em4100_uid`) and 4- or 7-byte
hex UIDs (13.56 MHz wedge readers set to hex output)."""

DEFAULT_SCAN_PATTERNS = (r"97[89]\d{10}", r"[A-Za-z]{1,4}-?\d{3,8}")
"""ISBN-13 / EAN-13 book barcodes, and asset tags such as ``LQ-0042`` on balls and chess sets."""


@dataclass(frozen=True)
class WedgeSettings:
    """How fast a machine types, and which codes are cards versus barcodes (full-match regexes)."""

    max_key_gap: float = 0.05
    """Seconds allowed between two keys of one code (Enter included). Wedge devices type a key every
    5-30 ms; a person rarely manages 100 ms, a child never."""
    min_length: int = 4
    max_length: int = 32
    card_patterns: Sequence[str] = DEFAULT_CARD_PATTERNS
    scan_patterns: Sequence[str] = DEFAULT_SCAN_PATTERNS
    reader: str = "keyboard"
    """The reader name on taps from this decoder."""

    def __post_init__(self) -> None:
        if self.max_key_gap <= 0:
            raise ValueError("max_key_gap must be positive")
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        for pattern in (*self.card_patterns, *self.scan_patterns):
            re.compile(pattern)


@dataclass
class WedgeDecoder:
    """Feed it every key event; it answers with a `CardTap`, a `Scan`, or None (nothing complete yet)."""

    settings: WedgeSettings = field(default_factory=WedgeSettings)

    def __post_init__(self) -> None:
        self._cards = [re.compile(p) for p in self.settings.card_patterns]
        self._scans = [re.compile(p) for p in self.settings.scan_patterns]
        self._buffer: list[str] = []
        self._last_at: float | None = None

    def feed(self, key: str, at: float) -> CardTap | Scan | None:
        """`key` is one typed character, or an Enter key name (``"enter"``, ``"\\r"`` ...); `at` is
        monotonic seconds. Other named keys (arrows, function keys) break a code, as they do on a real
        keyboard; modifier keys (Shift) type nothing and are never fed (see `kiosk.ui.keys`)."""
        fast = self._last_at is not None and at - self._last_at <= self.settings.max_key_gap
        self._last_at = at
        if key.lower() in ENTER_KEYS:
            code = "".join(self._buffer) if fast else ""
            self._buffer.clear()
            return self._classify(code, at)
        if len(key) != 1 or not key.isprintable():
            self._buffer.clear()
            return None
        if not fast:
            self._buffer.clear()  # too slow to belong to what came before: a new burst may start here
        if len(self._buffer) <= self.settings.max_length:  # beyond it the code is rejected at Enter anyway
            self._buffer.append(key)
        return None

    def _classify(self, code: str, at: float) -> CardTap | Scan | None:
        if not self.settings.min_length <= len(code) <= self.settings.max_length:
            return None
        if any(p.fullmatch(code) for p in self._cards):
            return CardTap(uid=normalise_uid(code), reader=self.settings.reader, at=at)
        if any(p.fullmatch(code) for p in self._scans):
            return Scan(code=code.strip(), at=at)
        return None
