"""Serial card readers through pyserial: an RDM6300-style module on a USB-serial adapter or the Pi's UART,
or a reader that sends one card number per line.

The adapter owns the port and the parser; it reports sightings and raises when the port fails, and the
hub's supervisor reopens it with backoff. An unplugged USB adapter makes the read fail (or the device
node vanish); the reopen succeeds once it is back, with no restart of the app.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import serial

from hardware.base import EM4100_STYLES
from hardware.frames import CardNumber, LineParser, Rdm6300Parser, Rejected
from hardware.source import SourceLink

log = logging.getLogger(__name__)

PROTOCOLS = ("rdm6300", "lines")


@dataclass(frozen=True)
class SerialSettings:
    port: str
    """A device path (``/dev/ttyUSB0``, ``/dev/serial0``, a ``/dev/serial/by-id/...`` link) or a pyserial
    URL (``loop://`` in tests)."""
    baud: int = 9600
    protocol: str = "rdm6300"
    em4100_uid: str = "decimal"
    """RDM6300 only: "decimal" or "hex", see `hardware.base.em4100_uid`."""
    line_pattern: str = r"[0-9A-Fa-f]{4,20}"
    """"lines" only: what a line must fully match to be a card number."""
    name: str = ""
    """Reader name on taps; the port when empty."""
    read_timeout: float = 0.1
    """Seconds a read waits; also how quiet the line must be before a half frame counts as truncated
    (a 14-byte frame takes 15 ms at 9600 baud, so 0.1 s of silence inside one means it was cut)."""

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ValueError(f"serial protocol must be one of {PROTOCOLS}, not {self.protocol!r}")
        if self.baud <= 0:
            raise ValueError("baud must be positive")
        if self.em4100_uid not in EM4100_STYLES:
            raise ValueError(f"em4100_uid must be one of {EM4100_STYLES}, not {self.em4100_uid!r}")
        re.compile(self.line_pattern)

    @property
    def reader_name(self) -> str:
        return self.name or self.port


class SerialSource:
    def __init__(self, settings: SerialSettings) -> None:
        self.settings = settings

    @property
    def name(self) -> str:
        return f"serial {self.settings.port}"

    def _new_parser(self) -> Rdm6300Parser | LineParser:
        if self.settings.protocol == "rdm6300":
            return Rdm6300Parser(self.settings.em4100_uid)
        return LineParser(self.settings.line_pattern)

    def run(self, link: SourceLink) -> None:
        s = self.settings
        parser = self._new_parser()  # a fresh parser: half a frame from before the unplug is gone
        with serial.serial_for_url(s.port, baudrate=s.baud, timeout=s.read_timeout, exclusive=True) as port:
            port.reset_input_buffer()
            link.connected(f"open at {s.baud} baud ({s.protocol})")
            while not link.stop.is_set():
                data = port.read(max(1, port.in_waiting))
                now = link.clock()
                events = parser.feed(data) if data else parser.idle()
                for event in events:
                    if isinstance(event, CardNumber):
                        link.seen(event.uid, s.reader_name, now)
                    else:
                        self._warn(event)

    def _warn(self, rejected: Rejected) -> None:
        # The bytes may hold a card's number: the reason and size at WARNING, their shape at DEBUG.
        log.warning("%s: ignored %s (%d bytes)", self.name, rejected.reason, rejected.length)
        log.debug("%s: ignored bytes %s", self.name, byte_shape(rejected.raw))


def byte_shape(raw: bytes) -> str:
    """Rejected bytes as a log may show them: letters and digits (which may spell a card's number)
    as "·", everything else (frame markers, line ends, wrong-baud garbage) in hex, which is what
    tells a bad cable from a wrong baud rate."""
    return " ".join("·" if chr(b).isascii() and chr(b).isalnum() else f"{b:02x}" for b in raw)
