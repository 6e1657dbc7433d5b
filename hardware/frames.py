"""Byte-stream parsers for serial card readers. Pure: bytes in, card numbers and rejections out.

`Rdm6300Parser` reads the frames of RDM6300-style 125 kHz modules::

    STX 0x02 | 10 ASCII hex: version byte + 32-bit card number | 2 ASCII hex: XOR of the 5 bytes | ETX 0x03

`LineParser` reads readers that send one card number per line.

Serial lines are noisy: a loose jumper, the wrong baud rate or a module starting up mid-frame all produce
garbage. The parsers never guess: anything that is not a whole, valid frame is a `Rejected` (for a
warning in the log) and parsing resynchronises on the next STX or line end, so the next good frame reads.
A frame's body holds only hex digits, so an STX can never occur inside a valid frame: restarting at every
STX can lose nothing that was valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce

from db.card_uid import normalise_uid
from hardware.base import em4100_uid

STX = 0x02
ETX = 0x03
FRAME_LENGTH = 14
HEX_DIGITS = frozenset(b"0123456789ABCDEFabcdef")
LINE_ENDS = frozenset(b"\r\n")
KEEP_RAW = 64
"""Bytes of a rejected stretch kept for the DEBUG log; a long burst of noise is counted, not stored."""


@dataclass(frozen=True)
class CardNumber:
    uid: str


@dataclass(frozen=True)
class Rejected:
    """Something that was not a card number. `raw` may contain a card's digits: log it at DEBUG only."""

    reason: str
    length: int
    raw: bytes


Event = CardNumber | Rejected


def rdm6300_frame(card_id: bytes) -> bytes:
    """The frame an RDM6300 sends for a 5-byte EM4100 ID (for tests, the bench and the fake serial line)."""
    if len(card_id) != 5:
        raise ValueError("an EM4100 ID is 5 bytes")
    checksum = reduce(lambda a, b: a ^ b, card_id)
    return bytes([STX]) + card_id.hex().upper().encode() + f"{checksum:02X}".encode() + bytes([ETX])


class _Stretch:
    """Bytes being collected, remembering only the first KEEP_RAW of them."""

    def __init__(self) -> None:
        self.length = 0
        self.raw = bytearray()

    def add(self, data: bytes | bytearray) -> None:
        self.length += len(data)
        self.raw += data[: max(0, KEEP_RAW - len(self.raw))]

    def take(self, reason: str) -> Rejected | None:
        if not self.length:
            return None
        rejected = Rejected(reason, self.length, bytes(self.raw))
        self.length = 0
        self.raw.clear()
        return rejected


class Rdm6300Parser:
    """Feed it bytes as they arrive, in any chunks; it returns what each chunk completed."""

    def __init__(self, uid_style: str = "decimal") -> None:
        em4100_uid(bytes(5), uid_style)  # reject an unknown style now, not at the first card
        self.uid_style = uid_style
        self._noise = _Stretch()
        self._noise_reason: str | None = None
        self._frame: bytearray | None = None

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        for byte in data:
            if byte == STX:
                self._drop_frame_into_noise("truncated frame")
                self._flush_noise(events)
                self._frame = bytearray([STX])
            elif self._frame is None:
                if byte not in LINE_ENDS:  # some modules end frames with CR LF: not worth a warning
                    self._noise.add(bytes([byte]))
            elif byte == ETX:
                frame, self._frame = self._frame, None
                frame.append(ETX)
                self._flush_noise(events)
                events.append(self._decode(bytes(frame)))
            elif byte in HEX_DIGITS and len(self._frame) < FRAME_LENGTH - 1:
                self._frame.append(byte)
            else:  # a byte no valid frame has here: this was never a frame
                self._frame.append(byte)
                self._drop_frame_into_noise("broken frame")
        return events

    def idle(self) -> list[Event]:
        """The line went quiet: a frame still open was cut short, and pending noise is reported."""
        events: list[Event] = []
        self._flush_noise(events)
        if self._frame is not None:
            events.append(Rejected("truncated frame", len(self._frame), bytes(self._frame)))
            self._frame = None
        return events

    def _drop_frame_into_noise(self, reason: str) -> None:
        """An open frame that cannot complete joins the rejected stretch, named for the first such frame."""
        if self._frame is not None:
            self._noise.add(self._frame)
            self._noise_reason = self._noise_reason or reason
            self._frame = None

    def _flush_noise(self, events: list[Event]) -> None:
        rejected = self._noise.take(self._noise_reason or "noise")
        self._noise_reason = None
        if rejected is not None:
            events.append(rejected)

    def _decode(self, frame: bytes) -> Event:
        if len(frame) != FRAME_LENGTH:
            return Rejected("frame of wrong length", len(frame), frame)
        card_id = bytes.fromhex(frame[1:11].decode("ascii"))
        checksum = int(frame[11:13], 16)
        if reduce(lambda a, b: a ^ b, card_id) != checksum:
            return Rejected("bad checksum", len(frame), frame)
        return CardNumber(em4100_uid(card_id, self.uid_style))


DEFAULT_LINE_PATTERN = r"[0-9A-Fa-f]{4,20}"
MAX_LINE = 64


class LineParser:
    """Readers that send a card number and a line end ("\\r", "\\n" or both)."""

    def __init__(self, pattern: str = DEFAULT_LINE_PATTERN) -> None:
        self.pattern = re.compile(pattern)
        self._line = _Stretch()

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        for byte in data:
            if byte in LINE_ENDS:
                self._end_line(events)
            else:
                self._line.add(bytes([byte]))
        return events

    def idle(self) -> list[Event]:
        rejected = self._line.take("line without an end")
        return [rejected] if rejected else []

    def _end_line(self, events: list[Event]) -> None:
        length, raw = self._line.length, bytes(self._line.raw)
        self._line.take("")
        if not length:
            return  # the "\n" of "\r\n", or an empty line
        text = raw.decode("ascii", errors="replace").strip()
        if length > MAX_LINE or not self.pattern.fullmatch(text):
            events.append(Rejected("not a card number", length, raw))
        else:
            events.append(CardNumber(normalise_uid(text)))
