"""MINIMAL stand-in for the keyboard-wedge decoder: a barcode scanner types the code and then Enter.

The hardware branch brings the real decoder (it also tells a wedge card reader's digits from a
barcode by timing). Until it is merged this buffer is what turns Kivy key events into `Scan`s;
`KeystrokeScanBuffer.feed(key, at)` has the same shape as that decoder, so swapping it is one line in
kiosk/ui/app.py (`make_scan_decoder`).
"""

from __future__ import annotations

from hardware.base import Scan

ENTER_KEYS = frozenset({"\r", "\n", "enter"})
STALE_SECONDS = 1.0  # a scanner types a whole code in well under a second; leftovers are noise


class KeystrokeScanBuffer:
    def __init__(self, stale_seconds: float = STALE_SECONDS) -> None:
        self._chars: list[str] = []
        self._last_at: float | None = None
        self._stale = stale_seconds

    def feed(self, key: str, at: float) -> Scan | None:
        """One key (a printable character, or "enter"); returns a Scan when Enter ends a code."""
        if self._last_at is not None and at - self._last_at > self._stale:
            self._chars.clear()
        self._last_at = at
        if key in ENTER_KEYS:
            code = "".join(self._chars).strip()
            self._chars.clear()
            return Scan(code, at) if code else None
        if len(key) == 1 and key.isprintable():
            self._chars.append(key)
        return None
