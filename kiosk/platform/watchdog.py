"""Telling systemd the kiosk is up and still drawing (sd_notify), without a C library.

The unit (deploy/files/liushou-kiosk.service) is Type=notify with WatchdogSec: the kiosk says READY=1
once its window is up and WATCHDOG=1 every third of the watchdog time from the UI's own clock. A kiosk
whose UI loop hangs stops saying it, and systemd restarts it as it would a crashed one. The kiosk runs
as a child of the cage compositor, so the unit allows notifications from any of its processes
(NotifyAccess=all) and the WATCHDOG_PID check of sd_watchdog_enabled is not applied here.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping


def notify(message: str, env: Mapping[str, str] = os.environ) -> bool:
    """Send one sd_notify message; False when not run by systemd (no NOTIFY_SOCKET) or it failed."""
    address = env.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        return False
    return True


def watchdog_interval(env: Mapping[str, str] = os.environ) -> float | None:
    """Seconds between WATCHDOG=1 pings (a third of the unit's WatchdogSec), or None without one."""
    try:
        microseconds = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return microseconds / 3 / 1_000_000 if microseconds > 0 else None
