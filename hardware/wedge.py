"""Keyboard-wedge readers and barcode scanners: telling a machine's typing from a child's.

A USB card reader or barcode scanner that acts as a keyboard "types" its code and presses Enter, a few
milliseconds per key. A person, even a fast typist, needs far longer between keys. So a burst of keys
whose typical (median) gap is within `max_key_gap` and that ends in Enter is a machine; slower typing is
a human's and is ignored here (the UI still sees those keys for its own text fields).

Why the median and not every gap: on a busy kiosk the keys do not arrive as the scanner typed them.
With both cores busy, the X server, the compositor or the kiosk's own loop is starved for a moment and
hands over a scanner's keys in bursts with pauses between (measured: pauses of 50-600 ms inside one
code, bench/scan_timing). A rule that every gap be fast lost such codes without a trace; most gaps of
a machine's code stay tiny whatever the load, while a person's are all slow. Only a pause longer than
`max_pause` (a person stopping, a scanner done) starts a new code. A stall longer than that still
happens now and then (both cores busy, a slow write to the SD card): the part of a machine's code before
it is kept for `max_stall` seconds, and joined to what comes after when only the whole makes a known
card number or barcode, so a split code is not lost.

Every complete code gets an answer: card numbers become `CardTap`s (raw sightings; the hub debounces
them like any other reader's), book barcodes and asset tags become `Scan`s, and a code that is neither
(too short, too long, no known pattern) becomes an `UnreadableCode` with its shape only, so the kiosk
can say "try again" without anyone writing a card number into a log.

The decoder is pure: it is fed `(key, monotonic_time)` and knows nothing of Kivy, so the UI can feed it
Window key events and tests can feed it invented timings. ISBN-13 barcodes (978/979 + 10 digits) and a
125 kHz reader's 10-digit card number differ in length, so the default patterns keep them apart; rooms
with other labels set their own patterns.
"""

from __future__ import annotations

import re
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from db.card_uid import normalise_uid
from hardware.base import CardTap, Scan, UnreadableCode, code_shape

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
    """Seconds between two keys of one code (Enter included), as the median over the code. Wedge devices
    type a key every 5-30 ms; a person rarely manages 100 ms, a child never."""
    max_pause: float = 0.75
    """The longest pause inside one code (a busy machine delivers keys in bursts); a longer one starts
    a new code. Never below `max_key_gap`."""
    max_stall: float = 5.0
    """How long the part of a machine's code before a longer pause is kept, to be joined to the rest
    if only together they make a known code."""
    min_length: int = 4
    max_length: int = 32
    card_patterns: Sequence[str] = DEFAULT_CARD_PATTERNS
    scan_patterns: Sequence[str] = DEFAULT_SCAN_PATTERNS
    reader: str = "keyboard"
    """The reader name on taps from this decoder."""

    def __post_init__(self) -> None:
        if self.max_key_gap <= 0:
            raise ValueError("max_key_gap must be positive")
        if self.max_pause <= 0:
            raise ValueError("max_pause must be positive")
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        for pattern in (*self.card_patterns, *self.scan_patterns):
            re.compile(pattern)


@dataclass
class WedgeDecoder:
    """Feed it every key event; it answers with a `CardTap`, a `Scan`, an `UnreadableCode`, or None
    (nothing complete yet, or a person typing)."""

    settings: WedgeSettings = field(default_factory=WedgeSettings)

    def __post_init__(self) -> None:
        self._cards = [re.compile(p) for p in self.settings.card_patterns]
        self._scans = [re.compile(p) for p in self.settings.scan_patterns]
        self._pause = max(self.settings.max_pause, self.settings.max_key_gap)
        # (key, seconds since the key before it); the first key's gap is None. Bounded: a code longer
        # than max_length is refused at Enter anyway, and `_typed` still counts its real length.
        self._keys: deque[tuple[str, float | None]] = deque(maxlen=2 * self.settings.max_length + 2)
        self._typed = 0
        self._last_at: float | None = None
        # The machine-typed part of a code cut by a stall longer than max_pause, and when it was cut.
        self._held: list[tuple[str, float | None]] = []
        self._held_at = 0.0

    def feed(self, key: str, at: float) -> CardTap | Scan | UnreadableCode | None:
        """`key` is one typed character, or an Enter key name (``"enter"``, ``"\\r"`` ...); `at` is
        monotonic seconds. Other named keys (arrows, function keys) break a code, as they do on a real
        keyboard; modifier keys (Shift) type nothing and are never fed (see `kiosk.ui.keys`)."""
        before, self._last_at = self._last_at, at
        gap = None if before is None else at - before
        if before is not None and at - before > self._pause:
            self._hold(before)  # a pause no machine makes inside a code: whatever came before is done
        if key.lower() in ENTER_KEYS:
            keys, typed = list(self._keys), self._typed
            held, self._held = self._fresh_held(at), []
            self._forget()
            answer = self._finish(keys, typed, gap, at)
            # An Enter alone after the stall is a person's (a reader typing without Enter), not a cut
            if held and keys and not isinstance(answer, CardTap | Scan):
                # the stall before the rest counts as one long gap: the median still sees a machine
                joined = held + [(k, self._pause if i == 0 else g) for i, (k, g) in enumerate(keys)]
                whole = self._finish(joined, len(joined), gap, at)
                if isinstance(whole, CardTap | Scan):
                    return whole
            return answer
        if len(key) != 1 or not key.isprintable():
            self._forget()
            self._held = []
            return None
        self._keys.append((key, None if not self._keys else gap))
        self._typed += 1
        return None

    def _forget(self) -> None:
        self._keys.clear()
        self._typed = 0

    def _hold(self, last_key_at: float) -> None:
        """The keys so far end at a stall: kept (after any still-fresh part held before) if a machine
        typed them, for the rest of the code to be joined to; a person's keys are simply done."""
        keys = list(self._keys)
        fresh = self._fresh_held(last_key_at)
        typed_fast = len(keys) < 2 or self._machine_typed(keys[:-1], keys[-1][1] or 0.0)
        self._held = fresh + keys if keys and typed_fast and self._typed == len(keys) else []
        self._held_at = last_key_at
        self._forget()

    def _fresh_held(self, at: float) -> list[tuple[str, float | None]]:
        return self._held if at - self._held_at <= self.settings.max_stall else []

    def _finish(
        self, keys: list[tuple[str, float | None]], typed: int, enter_gap: float | None, at: float
    ) -> CardTap | Scan | UnreadableCode | None:
        if not keys or enter_gap is None:
            return None  # Enter on its own
        # Keys a person typed just before the machine's burst (each followed by a slow gap) are not
        # part of its code: the code is also tried without them, whole code first.
        candidates = [keys]
        while len(candidates[-1]) > 1 and (candidates[-1][1][1] or 0) > self.settings.max_key_gap:
            candidates.append(candidates[-1][1:])
        typed_by_machine = [c for c in candidates if self._machine_typed(c, enter_gap)]
        if not typed_by_machine:
            return None  # a person typing
        for candidate in typed_by_machine:
            known = self._known("".join(k for k, _ in candidate), at)
            if known is not None:
                return known
        shortest = typed_by_machine[-1]
        return self._unreadable("".join(k for k, _ in shortest), typed - (len(keys) - len(shortest)), at)

    def _machine_typed(self, keys: list[tuple[str, float | None]], enter_gap: float) -> bool:
        gaps = [gap for _, gap in keys[1:] if gap is not None] + [enter_gap]
        return statistics.median(gaps) <= self.settings.max_key_gap

    def _known(self, code: str, at: float) -> CardTap | Scan | None:
        if not self.settings.min_length <= len(code) <= self.settings.max_length:
            return None
        if any(p.fullmatch(code) for p in self._cards):
            return CardTap(uid=normalise_uid(code), reader=self.settings.reader, at=at)
        if any(p.fullmatch(code) for p in self._scans):
            return Scan(code=code.strip(), at=at)
        return None

    def _unreadable(self, code: str, length: int, at: float) -> UnreadableCode:
        if length > self.settings.max_length:
            why = "too_long"
        elif length < self.settings.min_length:
            why = "too_short"
        else:
            why = "no_pattern"
        return UnreadableCode(length=length, why=why, shape=code_shape(code), at=at)
