"""What readers this machine can see: for `python -m hardware list` and for `use = "auto"`.

PC/SC readers are whatever pcscd reports. Serial ports are guessed: a port counts as a likely card reader
when it is a USB-serial adapter of a kind sold with RDM6300-style modules (CH340, CP210x, FTDI, PL2303),
or any /dev/ttyUSB*, or the Raspberry Pi's GPIO UART (/dev/serial0) unless the kernel console or a login
prompt uses it. /dev/ttyACM* (Arduinos, modems) and built-in /dev/ttyS* ports are listed but not opened
automatically; name them in the config to use them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from serial.tools import list_ports

from hardware.pcsc import visible_readers
from hardware.source import ReaderUnavailable

USB_SERIAL_CHIPS: dict[tuple[int, int], str] = {
    (0x1A86, 0x7523): "CH340",
    (0x1A86, 0x55D4): "CH9102",
    (0x10C4, 0xEA60): "CP210x",
    (0x0403, 0x6001): "FTDI FT232R",
    (0x0403, 0x6015): "FTDI FT231X",
    (0x067B, 0x2303): "PL2303",
}
PI_UART = Path("/dev/serial0")


@dataclass(frozen=True)
class SerialPort:
    device: str
    description: str
    likely_reader: bool


def serial_ports(cmdline: str | None = None) -> list[SerialPort]:
    """Every serial port pyserial sees (plus the Pi UART link), each marked likely-reader or not."""
    ports: list[SerialPort] = []
    for info in sorted(list_ports.comports(), key=lambda p: p.device):
        chip = USB_SERIAL_CHIPS.get((info.vid, info.pid)) if info.vid is not None else None
        usb = f" ({info.vid:04X}:{info.pid:04X})" if info.vid is not None else ""
        description = f"{chip or info.description or 'serial port'}{usb}"
        likely = chip is not None or os.path.basename(info.device).startswith("ttyUSB")
        ports.append(SerialPort(info.device, description, likely))
    if PI_UART.exists():
        console = _uart_is_console(cmdline)
        note = " (used by the console: free it to use a reader)" if console else ""
        ports.append(SerialPort(str(PI_UART), f"Raspberry Pi GPIO UART{note}", not console))
    return ports


def likely_reader_ports(cmdline: str | None = None) -> list[str]:
    return [port.device for port in serial_ports(cmdline) if port.likely_reader]


def _uart_is_console(cmdline: str | None) -> bool:
    if cmdline is None:
        try:
            cmdline = Path("/proc/cmdline").read_text()
        except OSError:
            cmdline = ""
    target = os.path.basename(os.path.realpath(PI_UART))
    return any(
        arg.startswith("console=") and arg[len("console=") :].split(",")[0] in ("serial0", target)
        for arg in cmdline.split()
    )


def pcsc_readers() -> tuple[list[str], str | None]:
    """(reader names, None) or ([], why PC/SC is not reachable)."""
    try:
        return visible_readers(), None
    except ReaderUnavailable as exc:
        return [], str(exc)
