"""The period a report covers: a semester, a month, a week, or any range of days, all in the school's
own calendar.

Semesters start in March and September (the exact days are the school's settings); a semester runs to
the day before the next one starts, so the winter and summer holidays belong to the semester before
them and every day of the year is in exactly one semester. Periods are written in addresses as
`semester:2026-autumn`, `month:2026-11`, `week:2026-11-23` (the Monday) or `range:2026-09-01..2026-12-31`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sync.server.core.school_settings import SchoolSettings


class PeriodKind(StrEnum):
    SEMESTER = "semester"
    MONTH = "month"
    WEEK = "week"
    RANGE = "range"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date  # first day
    end: date  # last day, inclusive
    code: str  # as written in an address

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def midpoint(self) -> date:
        """期中: the half-semester line of the seeds' "以半学期为时间界线" update."""
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    def bounds(self, settings: SchoolSettings) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the school's zone."""
        zone = settings.zone
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end + timedelta(days=1), time(), zone),
        )

    def as_of(self, settings: SchoolSettings, now: datetime) -> datetime:
        """The moment "who is overdue" and "what is out" are judged at: the end of the period, or now
        while it is still running."""
        return min(self.bounds(settings)[1], now)

    def as_of_day(self, settings: SchoolSettings, now: datetime) -> date:
        return min(self.end, now.astimezone(settings.zone).date())

    def label(self, locale: str) -> str:
        zh = locale == "zh_CN"
        if self.kind is PeriodKind.SEMESTER:
            year, half = self.code.split(":")[1].split("-")
            if zh:
                return f"{year}年{'春季' if half == 'spring' else '秋季'}学期"
            return f"{'Spring' if half == 'spring' else 'Autumn'} semester {year}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}年{self.start.month}月" if zh else self.start.strftime("%B %Y")
        if self.kind is PeriodKind.WEEK:
            return f"{self.start.isoformat()} – {self.end.isoformat()}" + (" 周" if zh else " (week)")
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def semester(year: int, half: str, settings: SchoolSettings) -> Period:
    if half == "spring":
        start, next_start = settings.spring_start(year), settings.autumn_start(year)
    elif half == "autumn":
        start, next_start = settings.autumn_start(year), settings.spring_start(year + 1)
    else:
        raise PeriodError("a semester is spring or autumn")
    return Period(PeriodKind.SEMESTER, start, next_start - timedelta(days=1), f"semester:{year}-{half}")


def semester_of(day: date, settings: SchoolSettings) -> Period:
    if day >= settings.autumn_start(day.year):
        return semester(day.year, "autumn", settings)
    if day >= settings.spring_start(day.year):
        return semester(day.year, "spring", settings)
    return semester(day.year - 1, "autumn", settings)


def recent_semesters(today: date, settings: SchoolSettings, count: int = 6) -> list[Period]:
    """The running semester and the ones before it, newest first: what the period picker offers."""
    found = [semester_of(today, settings)]
    while len(found) < count:
        found.append(semester_of(found[-1].start - timedelta(days=1), settings))
    return found


def month(year: int, month_no: int) -> Period:
    if not 1 <= month_no <= 12:
        raise PeriodError("no such month")
    start = date(year, month_no, 1)
    following = date(year + (month_no == 12), month_no % 12 + 1, 1)
    return Period(PeriodKind.MONTH, start, following - timedelta(days=1), f"month:{year}-{month_no:02d}")


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.isoweekday() - 1)
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6), f"week:{monday.isoformat()}")


MAX_RANGE_DAYS = 3 * 366


def day_range(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("the range ends before it starts")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise PeriodError("a range of at most three years")
    return Period(PeriodKind.RANGE, start, end, f"range:{start.isoformat()}..{end.isoformat()}")


_PATTERNS = {
    PeriodKind.SEMESTER: re.compile(r"^(\d{4})-(spring|autumn)$"),
    PeriodKind.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    PeriodKind.WEEK: re.compile(r"^(\d{4}-\d{2}-\d{2})$"),
    PeriodKind.RANGE: re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"),
}


def parse_period(code: str | None, settings: SchoolSettings, today: date) -> Period:
    """A period from its address form; empty means the running semester. PeriodError when malformed."""
    if not code:
        return semester_of(today, settings)
    kind_text, _, rest = code.partition(":")
    try:
        kind = PeriodKind(kind_text)
    except ValueError as exc:
        raise PeriodError("unknown kind of period") from exc
    match = _PATTERNS[kind].match(rest)
    if match is None:
        raise PeriodError("malformed period")
    try:
        if kind is PeriodKind.SEMESTER:
            return semester(int(match.group(1)), match.group(2), settings)
        if kind is PeriodKind.MONTH:
            return month(int(match.group(1)), int(match.group(2)))
        if kind is PeriodKind.WEEK:
            return week_of(date.fromisoformat(match.group(1)))
        return day_range(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)))
    except ValueError as exc:
        raise PeriodError(str(exc)) from exc
