"""The one seam between reader hardware and the rest of the kiosk.

Every adapter (PC/SC, serial, keyboard wedge, fake) yields `CardTap`s; the services never see bytes,
ports or APDUs. Time is monotonic because the Pi has no real-time clock and its wall clock can jump
when the network returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CardTap:
    """A card presented to a reader: normalised UID, which reader saw it, and when (time.monotonic())."""

    uid: str
    reader: str
    at: float


@dataclass(frozen=True, slots=True)
class Scan:
    """A barcode or asset tag read by a scanner (the code exactly as printed, whitespace trimmed)."""

    code: str
    at: float


class CardReader(Protocol):
    def taps(self) -> Iterator[CardTap]:
        """Blocks, yielding one `CardTap` per physical tap, until `close()` is called."""
        ...

    def close(self) -> None: ...


def normalise_uid(raw: str) -> str:
    """One spelling per card, whatever the reader: upper-case, no separators or whitespace.

    Readers print the same UID as `04:a2:b3:c4`, `04 A2 B3 C4` or `04a2b3c4`; the cards table stores
    exactly one of those spellings, so every adapter funnels through here.
    """
    cleaned = "".join(ch for ch in raw.strip() if ch not in " :-\t\r\n").upper()
    if not cleaned or not cleaned.isalnum() or not cleaned.isascii():
        raise ValueError(f"not a card UID: {raw!r}")
    return cleaned
