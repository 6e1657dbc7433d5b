"""A span of time cut at the school's midnights: the room report counts an opening's minutes on each
local day it touches, and the county overview's summaries keep them the same way (a room open past
midnight is rare, but real)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def split_by_day(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, float]]:
    """Minutes on each local day from `start` to `end`, in order; nothing when `end` is not later."""
    pieces = []
    local, stop = start.astimezone(zone), end.astimezone(zone)
    while local < stop:
        midnight = datetime.combine(local.date() + timedelta(days=1), time(), zone)
        piece_end = min(stop, midnight)
        pieces.append((local.date(), (piece_end - local).total_seconds() / 60))
        local = piece_end
    return pieces
