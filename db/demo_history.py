"""Years of plausible room history for benchmarks and for trying the admin screens with real volume.

Each school day the room opens after class; children come and go, some call home, borrow a book or take
a ball out for the afternoon; books come back days later, a few late, a few damaged. Every state row
gets the outbox event the services would have written, with gapless sequence numbers, so the history
looks exactly like what a kiosk accumulates (and syncs). Bulk-inserted for speed; the services are not
called, but the rows and events have the same shapes (the tests validate them against the wire schema).

At realistic rates one room of 96 children produces roughly 40 k events a year. The benchmark wants
about a million events in five years, so `sessions_per_day` lets a day hold several openings (morning
break, noon, after class — some schools open at all three) and `weekends` opens the room for boarders.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from db.demo_history_writer import ZONE, HistoryRates, HistoryWriter

SESSION_STARTS = (time(7, 40), time(12, 20), time(15, 40))  # morning break, noon, after class
DEFAULT_RATES = HistoryRates()
HISTORY_VERSION = 4  # bump when the generator writes different rows for the same arguments (caches)


@dataclass(frozen=True)
class HistorySummary:
    days: int
    events: int
    visits: int
    calls: int
    loans: int


def school_days(first: date, last: date, weekends: bool) -> Iterator[date]:
    """Term days: no winter break (mid-January to late February) and no summer (July-August)."""
    day = first
    while day <= last:
        in_winter_break = (day.month == 1 and day.day >= 15) or (day.month == 2 and day.day < 25)
        in_summer = day.month in (7, 8)
        if not in_winter_break and not in_summer and (weekends or day.isoweekday() <= 5):
            yield day
        day += timedelta(days=1)


def generate_history(
    session: Session,
    first: date,
    last: date,
    *,
    seed: int = 7,
    sessions_per_day: int = 1,
    weekends: bool = False,
    rates: HistoryRates = DEFAULT_RATES,
    sent_before: datetime | None = None,
    pending_events: int | None = None,
    chunk: int = 20_000,
) -> HistorySummary:
    """Write history for [first, last] into a kiosk database that already holds the demo roster.

    Events that occurred before `sent_before` are marked as acknowledged by the server (a kiosk that
    synced regularly); the rest stay pending. With `pending_events`, at most that many of the newest
    events stay pending (a kiosk that synced until it went offline for its last N events).
    """
    if not 1 <= sessions_per_day <= len(SESSION_STARTS):
        raise ValueError(f"sessions_per_day must be 1-{len(SESSION_STARTS)}")
    writer = HistoryWriter(session, random.Random(seed), rates, sent_before, chunk)
    starts = SESSION_STARTS[-sessions_per_day:]
    days = 0
    for day in school_days(first, last, weekends):
        days += 1
        for start in starts:
            writer.one_opening(datetime.combine(day, start, tzinfo=ZONE).astimezone(UTC))
    writer.finish()
    if pending_events is not None:
        writer.mark_sent_all_but_newest(pending_events)
    return HistorySummary(days, writer.events, writer.visits, writer.calls, writer.loans)
