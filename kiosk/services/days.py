"""School days in the school's time zone, computed from UTC instants.

"Today", "birthday today" and "due back today" are local dates; the database stores UTC. Keeping the
conversion in one place stops a kiosk near midnight from counting a visit on the wrong day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day as UTC instants."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of a local day: when something "due that day" becomes overdue."""
    return day_bounds(day, zone)[1] - timedelta(microseconds=1)


def is_birthday(birthday: date | None, today: date) -> bool:
    """29 February birthdays are celebrated on 28 February in other years."""
    if birthday is None:
        return False
    if (birthday.month, birthday.day) == (today.month, today.day):
        return True
    is_leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    return (birthday.month, birthday.day) == (2, 29) and not is_leap and (today.month, today.day) == (2, 28)
