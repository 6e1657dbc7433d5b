"""The server's clock, carried by every database session it opens (as the kiosk's unit of work carries
the kiosk's clock).

The composition root (`sync.server.bootstrap.open_central`) gives the sessions a clock once: the
system's in production, a manual one in a test that needs "a week later". Code that stamps a row asks
the session it writes with (`now_of(session)`), never `datetime.now()`, so every part of one request
agrees on the time and a test can move it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.clock import Clock

CLOCK_KEY = "clock"


class NoClock(RuntimeError):
    """A session not opened through the server's database (`CentralDatabase`) has no clock."""


def clock_of(session: Session) -> Clock:
    clock = session.info.get(CLOCK_KEY)
    if clock is None:
        raise NoClock("open sessions through CentralDatabase.writes()/reads(): they carry the server's clock")
    return clock


def now_of(session: Session) -> datetime:
    """Now, as the server's clock says (UTC, aware)."""
    return clock_of(session).now()
