"""Enrolment attempts are throttled: a code is 50 random bits and expires within days, so guessing one
is hopeless anyway, but nothing should be allowed to try millions of times, fill the log, or hold the
write lock for everyone else.

Only *failed* attempts count (a code that does not exist, is used up or has expired): a school
enrolling its kiosks never meets the limit. A client address that fails `per_client` times within
`window` is refused with 429 until its oldest failure leaves the window; if failures from all
addresses together reach `overall` (someone spreading guesses over many addresses), every address
waits. The failures are rows in the database, so every worker process of the server counts the same
ones, and a restart forgets nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.server.api.errors import ApiError
from sync.server.models import EnrolmentFailure


class EnrolmentThrottle:
    def __init__(
        self, per_client: int = 10, overall: int = 100, window: timedelta = timedelta(minutes=10)
    ) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window

    def check(self, session: Session, client: str, now: datetime) -> None:
        """Raise 429 if this client (or everyone) has failed too often lately."""
        since = now - self.window
        recent = select(EnrolmentFailure.at).where(EnrolmentFailure.at > since)
        mine_query = recent.where(EnrolmentFailure.client == client[:64])
        mine = session.scalars(mine_query.order_by(EnrolmentFailure.at).limit(self.per_client)).all()
        if len(mine) >= self.per_client:
            wait = mine[0] + self.window - now
        else:
            everyone = session.scalars(recent.order_by(EnrolmentFailure.at).limit(self.overall)).all()
            if len(everyone) < self.overall:
                return
            wait = everyone[0] + self.window - now
        raise ApiError(
            429,
            "enrolment_throttled",
            "Too many wrong enrolment codes; wait before trying again, and check the code with the "
            "school's administrator.",
            headers={"Retry-After": str(max(1, int(wait.total_seconds()) + 1))},
        )

    def failed(self, session: Session, client: str, now: datetime) -> None:
        """Count a failure (the caller commits), and forget those that left the window."""
        session.execute(delete(EnrolmentFailure).where(EnrolmentFailure.at <= now - self.window))
        session.add(EnrolmentFailure(client=client[:64], at=now))
