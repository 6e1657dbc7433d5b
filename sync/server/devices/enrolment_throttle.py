"""Enrolment attempts are throttled: a code is 50 random bits and expires within days, so guessing one
is hopeless anyway, but nothing should be allowed to try millions of times, fill the log, or hold the
write lock for everyone else.

Only *failed* attempts count (a code that does not exist, is used up or has expired): a school
enrolling its kiosks never meets the limit. A client address that fails `per_client` times within
`window` is refused with 429 until its oldest failure leaves the window; if failures from all
addresses together reach `overall` (someone spreading guesses over many addresses), every address
waits. Kept in memory: a restart forgets it, which costs an attacker a restart they cannot cause.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from sync.server.api.errors import ApiError


class EnrolmentThrottle:
    def __init__(
        self, per_client: int = 10, overall: int = 100, window: timedelta = timedelta(minutes=10)
    ) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window
        self._lock = threading.Lock()
        self._by_client: dict[str, deque[datetime]] = {}
        self._all: deque[datetime] = deque()

    def check(self, client: str, now: datetime) -> None:
        """Raise 429 if this client (or everyone) has failed too often lately."""
        with self._lock:
            self._forget_before(now - self.window)
            mine = self._by_client.get(client, deque())
            if len(mine) >= self.per_client:
                wait = mine[0] + self.window - now
            elif len(self._all) >= self.overall:
                wait = self._all[0] + self.window - now
            else:
                return
        raise ApiError(
            429,
            "enrolment_throttled",
            "Too many wrong enrolment codes; wait before trying again, and check the code with the "
            "school's administrator.",
            headers={"Retry-After": str(max(1, int(wait.total_seconds()) + 1))},
        )

    def failed(self, client: str, now: datetime) -> None:
        with self._lock:
            self._by_client.setdefault(client, deque()).append(now)
            self._all.append(now)

    def _forget_before(self, cutoff: datetime) -> None:
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for client in list(self._by_client):
            failures = self._by_client[client]
            while failures and failures[0] <= cutoff:
                failures.popleft()
            if not failures:
                del self._by_client[client]
