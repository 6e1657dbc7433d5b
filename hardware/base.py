"""The one seam between reader hardware and the rest of the kiosk.

Every adapter (PC/SC, serial, keyboard wedge, fake) yields `CardTap`s; the services never see bytes,
ports or APDUs. Time is monotonic because the Pi has no real-time clock and its wall clock can jump
when the network returns.
"""

from __future__ import annotations

import hashlib
import hmac
import os
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


@dataclass(frozen=True, slots=True)
class UnreadableCode:
    """A complete code a machine typed (fast keys ending in Enter) that is no card and no label the room
    uses: too short, too long, or of no known pattern. It says the code's shape, never the code (it may
    be a card number), so the kiosk can answer "try again" and log what went wrong."""

    length: int
    why: str  # "too_short" | "too_long" | "no_pattern"
    shape: str  # code_shape(): runs of letters, digits, spaces and other characters
    at: float


SHAPE_RUNS = 8


def code_shape(code: str) -> str:
    """ "LQ-0042x" -> "A2 #1 D4 A1": runs of letters (A), digits (D), spaces (_) and anything else (#),
    at most SHAPE_RUNS of them, so a log line shows what kind of code came without the code itself."""
    runs: list[list[object]] = []
    for char in code:
        kind = "D" if char.isdigit() else "A" if char.isalpha() else "_" if char.isspace() else "#"
        if runs and runs[-1][0] == kind:
            runs[-1][1] += 1  # type: ignore[operator]
        else:
            runs.append([kind, 1])
    shown = " ".join(f"{kind}{count}" for kind, count in runs[:SHAPE_RUNS])
    return shown + (" …" if len(runs) > SHAPE_RUNS else "")


class CardReader(Protocol):
    def taps(self) -> Iterator[CardTap]:
        """Blocks, yielding one `CardTap` per physical tap, until `close()` is called."""
        ...

    def close(self) -> None: ...


def uid_tag(uid: str) -> str:
    """What a log may say about a card: a short keyed hash, the same for the same card while this
    process runs, so a log still shows "the same card twice" without holding its number.

    The key is random per process: a card UID is only 4-7 bytes, so an unkeyed hash of one could be
    reversed by trying every UID; with the key gone when the process ends, a log read later cannot.
    """
    return "card:" + hmac.new(_TAG_KEY, uid.encode(), hashlib.sha256).hexdigest()[:8]


_TAG_KEY = os.urandom(16)

__all__ = ["CardReader", "CardTap", "Scan", "UnreadableCode", "code_shape", "em4100_uid", "uid_tag"]


# --- UID spelling policy -------------------------------------------------------------------------------
#
# PC/SC (13.56 MHz: MIFARE, NTAG, ...): the UID bytes from GET DATA (`FF CA 00 00 00`), upper-case hex,
#   most significant byte first as the reader returns them: "04A2B3C4", "04A2B3C4D5E680".
# EM4100 (125 kHz) on a serial module: see `em4100_uid`; by default the 10-digit decimal of the low 32 bits.
# Keyboard wedge and "one number per line" serial readers: exactly what the reader sends, through
#   `db.card_uid.normalise_uid` (so leading zeros stay: "0012345678").

EM4100_STYLES = ("decimal", "hex")


def em4100_uid(card_id: bytes, style: str = "decimal") -> str:
    """The UID we store for a 125 kHz EM4100 card, given its 5-byte ID (version/customer byte + 32 bits).

    Default ``"decimal"``: the low 32 bits as a zero-padded 10-digit decimal, e.g. ``0012345678``. That is
    the number printed on the card itself and the one cheap 125 kHz USB readers *type* as a keyboard. A
    room can then swap an RDM6300-style serial module for a keyboard-wedge reader (or use both) without
    re-registering a single card, and the administrator can register a card by reading its printed number.
    The cost is dropping the version byte: two cards differing only in it would collide. Within one
    school's cards that does not happen in practice; a room that needs the full ID sets ``"hex"``, which
    gives all 10 hex digits (``"1A00BC614E"``) and then must not mix in wedge readers.
    """
    if len(card_id) != 5:
        raise ValueError(f"an EM4100 ID is 5 bytes, got {len(card_id)}")
    if style == "decimal":
        return f"{int.from_bytes(card_id[1:], 'big'):010d}"
    if style == "hex":
        return card_id.hex().upper()
    raise ValueError(f"unknown EM4100 UID style {style!r}; use one of {EM4100_STYLES}")
