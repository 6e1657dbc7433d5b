"""A contactless card on a `vsmartcard-vpcd` virtual reader, spoken from Python.

The vpcd PC/SC driver listens on a TCP port per virtual reader and treats one connected client as the
card in that reader: connecting is putting the card on the reader, disconnecting is lifting it. Messages
both ways are a 2-byte big-endian length and a payload. A 1-byte payload from the driver is a control
code (0 power off, 1 power on, 2 reset, 4 "send your ATR"); anything longer is a command APDU that gets a
response APDU back. This card answers GET DATA for the UID (`FF CA 00 00 00`) and refuses the rest.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

# What an ACR122U reports for a MIFARE Classic 1K (PC/SC part 3 storage-card ATR).
CONTACTLESS_ATR = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4
GET_UID = bytes.fromhex("FFCA000000")
SW_OK = b"\x90\x00"
SW_FUNCTION_NOT_SUPPORTED = b"\x6a\x81"
SW_INS_NOT_SUPPORTED = b"\x6d\x00"


class VirtualCard:
    """One card. `uid=None` makes a card that has no UID to give (a contact card, say)."""

    def __init__(self, uid: str | None, port: int, host: str = "127.0.0.1", atr: bytes = CONTACTLESS_ATR):
        self.uid = bytes.fromhex(uid) if uid is not None else None
        self.port = port
        self.host = host
        self.atr = atr
        self.inserted_at: float | None = None
        """time.monotonic() just after the card reached the reader (for the bench)."""
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self, timeout: float = 5.0) -> None:
        """Put the card on the reader. Waits for the driver to listen (pcscd may still be starting)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self.inserted_at = time.monotonic()
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="virtual card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Lift the card off the reader."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):  # the driver may already be gone (pcscd stopped)
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def on_reader(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _recv_exactly(sock, 2)
                message = _recv_exactly(sock, struct.unpack(">H", header)[0])
                reply = self._answer(message)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except (ConnectionError, OSError):
            return  # removed, or the driver is gone

    def _answer(self, message: bytes) -> bytes | None:
        if len(message) == 1:
            return self.atr if message[0] == GET_ATR else None
        if message == GET_UID:
            return self.uid + SW_OK if self.uid is not None else SW_FUNCTION_NOT_SUPPORTED
        return SW_INS_NOT_SUPPORTED


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        data += chunk
        # vpcd sends the length and the APDU in two writes; acknowledging at once keeps Nagle's algorithm
        # on its side from holding the second for our delayed ACK (40 ms a command, nothing a real card has).
        if hasattr(socket, "TCP_QUICKACK"):  # Linux only
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    return data
