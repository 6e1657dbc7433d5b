"""The county overview for the education bureau: one line per school for the same period — children
served and of them the official count (国家口径, as each school's own 统计表 counts it), how many came
to the room, contact compliance, room hours, lending — and the county's total.

Aggregates only: no child is named. Each school is measured by its own rules (its cadence, its
minimum opening time, its time zone), exactly as its own reports measure it, so a bureau figure and
the school's figure for the same period are the same number. The figures of all the schools come from
a few queries (sync.server.reports.county_figures), so a city's overview costs about a county's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import settings_of
from sync.server.i18n import translate
from sync.server.models import County, School
from sync.server.reports.county_figures import SchoolPeriod, school_lines
from sync.server.reports.period import Period, parse_period
from sync.server.reports.table import Bar, Chart, Column, Kind, Report, Table, share


def build(session: Session, county: County, period_code: str, now: datetime, locale: str) -> Report:
    """`period_code` is read with each school's own calendar: "semester:2026-autumn" starts on each
    school's own autumn day."""

    def t(key: str, **values: object) -> str:
        return translate(locale, key, **values)

    schools = session.scalars(select(School).where(School.county_id == county.id).order_by(School.name)).all()
    readings = []
    for school in schools:
        settings = settings_of(school)
        period = parse_period(period_code, settings, now.astimezone(settings.zone).date())
        as_of, as_of_day = period.as_of(settings, now), period.as_of_day(settings, now)
        readings.append(SchoolPeriod(school.id, settings, period, as_of, as_of_day))
    lines = school_lines(session, readings)
    shown: Period | None = readings[-1].period if readings else None  # named as the last school reads it
    rows, bars, sums = [], [], [0] * 9
    for school in schools:
        line = lines[school.id]
        sums = [a + b for a, b in zip(sums, line, strict=True)]
        rows.append(_row(school.name, line))
        rate = share(line[3] - line[4], line[3])
        bars.append(Bar(school.name, rate or 0.0, low=(rate or 0.0) < 80))
    table = Table(
        "schools",
        t("county.schools"),
        [
            Column(t("county.school")),
            Column(t("county.children"), Kind.INT),
            Column(t("county.official"), Kind.INT),
            Column(t("county.came"), Kind.INT),
            Column(t("contact.on_roster"), Kind.INT),
            Column(t("contact.overdue_count"), Kind.INT),
            Column(t("contact.compliance"), Kind.PCT),
            Column(t("room.open_days"), Kind.INT),
            Column(t("room.hours_open"), Kind.DAYS),
            Column(t("county.days_under"), Kind.INT),
            Column(t("lending.borrowed"), Kind.INT),
        ],
        rows,
        total=_row(t("common.total"), sums),
    )
    return Report(
        "county",
        t("report.county"),
        county.name,
        shown,
        shown.label(locale) if shown else "",
        now,
        [table],
        charts=[
            Chart("compliance", t("county.chart_compliance"), bars, unit="%", target=80, horizontal=True)
        ],
        figures=[
            (t("county.school_count"), str(len(schools))),
            (t("stats.official"), str(sums[1])),
            (t("county.children"), str(sums[0])),
            (t("contact.compliance"), f"{share(sums[3] - sums[4], sums[3]) or 0:.1f}%"),
            (t("room.hours_open"), f"{sums[6] / 60:.1f}"),
        ],
    )


def _row(label: str, line: list[int]) -> list[object]:
    children, official, came, roster, overdue, days, minutes, under, loans = line
    return [
        label,
        children,
        official,
        came,
        roster,
        overdue,
        share(roster - overdue, roster),
        days,
        round(minutes / 60, 1),
        under,
        loans,
    ]
