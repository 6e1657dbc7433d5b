"""Time as the kiosk sees it: a wall clock that may be wrong, a monotonic clock that is not, and a boot id.

The Pi has no battery-backed clock. After a power cut it boots with a stale wall time until NTP (or the
sync server) corrects it, so anything that must be right across that jump ("was this tap two seconds
after the last one?") uses the monotonic clock within one boot.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

_BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


class Clock(Protocol):
    @property
    def boot_id(self) -> str: ...

    def now(self) -> datetime:
        """Aware UTC wall time."""
        ...

    def monotonic_ns(self) -> int: ...


class SystemClock:
    def __init__(self) -> None:
        try:
            self._boot_id = _BOOT_ID_FILE.read_text().strip()
        except OSError:  # not Linux: one id per process is the honest fallback
            self._boot_id = str(uuid.uuid4())

    @property
    def boot_id(self) -> str:
        return self._boot_id

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic_ns(self) -> int:
        return time.monotonic_ns()


class ManualClock:
    """A clock that moves only when told: for tests, demo history and replaying a day."""

    def __init__(self, start: datetime, boot_id: str = "manual-boot-1") -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._wall = start.astimezone(UTC)
        self._mono_ns = 1_000_000_000
        self._boot_id = boot_id

    @property
    def boot_id(self) -> str:
        return self._boot_id

    def now(self) -> datetime:
        return self._wall

    def monotonic_ns(self) -> int:
        return self._mono_ns

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        """Let time pass: both clocks move together."""
        step = delta if delta is not None else timedelta(**kwargs)
        self._wall += step
        self._mono_ns += int(step.total_seconds() * 1e9)

    def set_wall(self, wall: datetime) -> None:
        """The wall clock jumps (NTP correction, a wrong clock after power loss); monotonic time does not."""
        self._wall = wall.astimezone(UTC)

    def reboot(self, boot_id: str) -> None:
        self._boot_id = boot_id
        self._mono_ns = 1_000_000_000
