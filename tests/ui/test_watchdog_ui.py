"""The touchscreen tells systemd it is up, then keeps saying it is alive from its own UI loop."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def test_the_kiosk_says_ready_then_pings_the_watchdog(
    start_kiosk: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        listener.settimeout(0.01)
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        monkeypatch.setenv("WATCHDOG_USEC", "300000")  # a ping every 0.1 s
        kiosk = start_kiosk()
        heard: list[bytes] = []

        def pinged() -> bool:
            with contextlib.suppress(TimeoutError):
                heard.append(listener.recv(100))
            return b"WATCHDOG=1" in heard

        kiosk.wait_until(pinged, "a watchdog ping")
        assert heard[0] == b"READY=1"
