"""sd_notify spoken over a real unix datagram socket, as systemd listens for it."""

from __future__ import annotations

import socket
from pathlib import Path

from kiosk.platform.watchdog import notify, watchdog_interval


def test_notify_reaches_the_socket_systemd_names(tmp_path: Path) -> None:
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        assert notify("READY=1", {"NOTIFY_SOCKET": str(path)})
        assert listener.recv(100) == b"READY=1"


def test_an_abstract_socket_name_works_too() -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind("\0liushou-watchdog-test")
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": "@liushou-watchdog-test"})
        assert listener.recv(100) == b"WATCHDOG=1"


def test_without_systemd_nothing_is_sent_and_nothing_fails(tmp_path: Path) -> None:
    assert not notify("READY=1", {})
    assert not notify("READY=1", {"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})


def test_the_ping_comes_three_times_per_watchdog_period() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "90000000"}) == 30.0
    assert watchdog_interval({}) is None and watchdog_interval({"WATCHDOG_USEC": "x"}) is None
