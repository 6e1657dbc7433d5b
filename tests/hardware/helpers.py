"""Small helpers shared by the reader tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from hardware.base import CardTap
from hardware.hub import ReaderHub

# Short gaps keep the suite fast; the real defaults are tested in test_config.
TEST_GAP = 0.3
TEST_POLL = 0.05
WAIT = 10.0
"""Upper bound for anything that should happen; tests never wait this long when things work."""


def next_tap(hub: ReaderHub, timeout: float = WAIT) -> CardTap:
    tap = hub.get(timeout)
    assert tap is not None, f"no tap within {timeout} s; readers: {hub.status()}"
    return tap


def wait_for(condition: Callable[[], bool], timeout: float = WAIT, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def in_thread(target: Callable[[], object]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def misread_at_wrong_baud(data: bytes, sent_baud: int, read_baud: int) -> bytes:
    """What a UART set to `read_baud` makes of `data` sent at `sent_baud` (8N1): the garbage a room sees
    when the module and the config disagree. Simulates the line level and the receiver's sampling."""
    line: list[int] = [1] * 20  # idle high
    for byte in data:
        line += [0] + [(byte >> i) & 1 for i in range(8)] + [1]
    line += [1] * 20
    per_sent_bit = read_baud / sent_baud  # receiver bit periods per sent bit

    def level(t: float) -> int:  # t in receiver bit periods
        return line[min(len(line) - 1, int(t / per_sent_bit))]

    out = bytearray()
    t, end = 0.0, len(line) * per_sent_bit
    while t < end:
        if level(t) == 1:
            t += 0.25  # idle: look for a falling edge
            continue
        sample = t + 0.5  # middle of the start bit
        value = sum(level(sample + 1 + i) << i for i in range(8))
        out.append(value)
        t = sample + 9.5  # after the stop bit (framing errors are not checked, as on a cheap UART)
    return bytes(out)


def pcsc_reader_holds_a_card(reader: str) -> bool:
    """What pcscd itself says about `reader` right now (asked on a context of our own)."""
    from hardware.pcsc import PcscContext

    with PcscContext() as context:
        scard = context.scard
        result, states = scard.SCardGetStatusChange(context.handle, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        assert result == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(result)
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)
