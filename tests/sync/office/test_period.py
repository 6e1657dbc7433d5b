"""A report's period, in the school's own calendar: semesters begin on the school's days and cover the
year without gap or overlap; months, weeks and ranges read back from their address form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sync.server.core.school_settings import SchoolSettings
from sync.server.reports.period import PeriodError, parse_period, recent_semesters, semester_of, week_of

DEFAULT = SchoolSettings()


@pytest.mark.parametrize(
    ("day", "code", "start", "end"),
    [
        (date(2026, 11, 23), "semester:2026-autumn", date(2026, 9, 1), date(2027, 2, 28)),
        (date(2027, 1, 20), "semester:2026-autumn", date(2026, 9, 1), date(2027, 2, 28)),  # winter holiday
        (date(2028, 2, 29), "semester:2027-autumn", date(2027, 9, 1), date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 1), "semester:2026-spring", date(2026, 3, 1), date(2026, 8, 31)),
        (date(2026, 8, 31), "semester:2026-spring", date(2026, 3, 1), date(2026, 8, 31)),  # summer holiday
    ],
)
def test_every_day_belongs_to_one_semester(day: date, code: str, start: date, end: date) -> None:
    period = semester_of(day, DEFAULT)
    assert (period.code, period.start, period.end) == (code, start, end)
    assert parse_period(code, DEFAULT, day) == period


def test_semesters_follow_each_other_without_a_gap() -> None:
    chain = recent_semesters(date(2026, 11, 23), DEFAULT, count=6)
    for newer, older in zip(chain, chain[1:], strict=False):
        assert older.end + timedelta(days=1) == newer.start


def test_a_school_that_starts_on_other_days() -> None:
    settings = SchoolSettings(spring_semester_starts="02-20", autumn_semester_starts="08-28")
    period = semester_of(date(2026, 2, 25), settings)
    assert (period.start, period.end) == (date(2026, 2, 20), date(2026, 8, 27))
    assert period.midpoint == date(2026, 5, 25)  # 94 of its 188 days


def test_months_weeks_and_ranges_read_back() -> None:
    assert parse_period("month:2026-02", DEFAULT, date(2026, 11, 1)).end == date(2026, 2, 28)
    assert parse_period("week:2026-11-25", DEFAULT, date(2026, 11, 1)).start == date(2026, 11, 23)
    assert week_of(date(2026, 11, 29)).start == date(2026, 11, 23)
    ranged = parse_period("range:2026-09-01..2026-09-30", DEFAULT, date(2026, 11, 1))
    assert ranged.days == 30 and ranged.label("zh_CN") == "2026-09-01 – 2026-09-30"


@pytest.mark.parametrize(
    "code",
    ["semester:2026-summer", "month:2026-13", "range:2026-10-01..2026-09-01", "range:2020-01-01..2026-01-01",
     "decade:2020", "week:2026-02-30", "semester:26-autumn"],
)  # fmt: skip
def test_a_malformed_period_is_refused(code: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(code, DEFAULT, date(2026, 11, 1))


def test_the_autumn_semester_must_start_after_the_spring_one() -> None:
    with pytest.raises(ValueError):
        SchoolSettings(spring_semester_starts="09-01", autumn_semester_starts="03-01")
