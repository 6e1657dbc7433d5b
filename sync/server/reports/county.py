"""The county overview for the education bureau: one line per school for the same period — children
served and of them the official count (国家口径, as each school's own 统计表 counts it), how many came
to the room, contact compliance, room hours, lending — and the county's total.

Aggregates only: no child is named. Each school is measured by its own rules (its cadence, its
minimum opening time, its time zone), exactly as its own reports measure it, so a bureau figure and
the school's figure for the same period are the same number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import settings_of
from sync.server.i18n import translate
from sync.server.models import County, LoanRecord, School, VisitRecord
from sync.server.reports.basis import Basis, basis_for
from sync.server.reports.contact import is_overdue, last_contacts
from sync.server.reports.official import Standing, age_cutoff, standing
from sync.server.reports.period import Period, parse_period
from sync.server.reports.room_use import open_minutes_by_day
from sync.server.reports.table import Bar, Chart, Column, Kind, Report, Table, share


def school_line(basis: Basis) -> list[int]:
    """[children in period, of them counted officially, came to the room, on roster at as-of, overdue,
    open days, open minutes, days under the minimum, loans] for one school."""
    school, period = basis.school.id, basis.period
    children = basis.children()
    cutoff = age_cutoff(basis)
    official = sum(standing(c, cutoff) is Standing.OFFICIAL for c in children)
    came = set(
        basis.session.scalars(
            select(distinct(VisitRecord.child_id)).where(
                VisitRecord.school_id == school,
                VisitRecord.day >= period.start,
                VisitRecord.day <= period.end,
            )
        )
    )
    last = last_contacts(basis)
    as_of, as_of_day, cadence = basis.as_of, basis.as_of_day, basis.settings.contact_cadence.days
    on_roster = [c for c in children if c.on_roster(as_of_day)]
    overdue = sum(is_overdue(last.get(c.id), as_of, cadence) for c in on_roster)
    minutes, _unclosed = open_minutes_by_day(basis)
    visit_days = set(
        basis.session.scalars(
            select(distinct(VisitRecord.day)).where(
                VisitRecord.school_id == school,
                VisitRecord.day >= period.start,
                VisitRecord.day <= period.end,
            )
        )
    )
    open_days = set(minutes) | visit_days
    minimum = basis.settings.min_open_minutes_per_day
    under = sum(round(minutes.get(day, 0.0)) < minimum for day in open_days)
    loans = (
        basis.session.scalar(
            select(func.count()).where(
                LoanRecord.school_id == school,
                basis.during(LoanRecord.borrowed_at),
            )
        )
        or 0
    )
    return [
        len(children),
        official,
        sum(c.id in came for c in children),
        len(on_roster),
        overdue,
        len(open_days),
        round(sum(minutes.values())),
        under,
        loans,
    ]


def build(session: Session, county: County, period_code: str, now: datetime, locale: str) -> Report:
    """`period_code` is read with each school's own calendar: "semester:2026-autumn" starts on each
    school's own autumn day."""

    def t(key: str, **values: object) -> str:
        return translate(locale, key, **values)

    schools = session.scalars(select(School).where(School.county_id == county.id).order_by(School.name)).all()
    rows, bars, sums = [], [], [0] * 9
    period: Period | None = None
    for school in schools:
        settings = settings_of(school)
        period = parse_period(period_code, settings, now.astimezone(settings.zone).date())
        line = school_line(basis_for(session, school, period, now, locale))
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
        period,
        period.label(locale) if period else "",
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
