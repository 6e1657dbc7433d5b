"""Room use: visits per day, how long the room was open each day (the rule: at least an hour,
"不得少于1小时", or the school's own minimum), the busiest hours, and the TV/VCD showings with who
watched (sync.server.reports.showings).

Opening time is what the duty teacher recorded with 开门 / 关门 on the kiosk. A day with visits but no
opening recorded, or an opening never closed, counts no open time and is marked like any day under
the minimum: the paper register would show the same gap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import distinct, func, select

from sync.server.core.day_pieces import split_by_day
from sync.server.models import RoomSessionRecord, VisitRecord
from sync.server.reports import showings
from sync.server.reports.basis import Basis
from sync.server.reports.table import Bar, Chart, Column, Kind, Report, Table, share

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_minutes_by_day(basis: Basis) -> tuple[dict[date, float], set[date]]:
    """Minutes open per local day, and the days with an opening that was never closed."""
    minutes: dict[date, float] = defaultdict(float)
    unclosed: set[date] = set()
    for opened_at, closed_at, day in basis.session.execute(
        select(RoomSessionRecord.opened_at, RoomSessionRecord.closed_at, RoomSessionRecord.day).where(
            RoomSessionRecord.school_id == basis.school.id,
            RoomSessionRecord.day >= basis.period.start,
            RoomSessionRecord.day <= basis.period.end,
        )
    ):
        if closed_at is None:
            unclosed.add(day)
            minutes[day] += 0.0
            continue
        for piece_day, piece in split_by_day(opened_at, closed_at, basis.settings.zone):
            if basis.period.start <= piece_day <= basis.period.end:
                minutes[piece_day] += piece
    return minutes, unclosed


def build(basis: Basis) -> Report:
    t = basis.t
    school, period = basis.school.id, basis.period
    in_period = (
        VisitRecord.school_id == school,
        VisitRecord.day >= period.start,
        VisitRecord.day <= period.end,
    )
    visits = {
        day: (count, people)
        for day, count, people in basis.session.execute(
            select(VisitRecord.day, func.count(), func.count(distinct(VisitRecord.child_id)))
            .where(*in_period)
            .group_by(VisitRecord.day)
        )
    }
    children_total = (
        basis.session.scalar(select(func.count(distinct(VisitRecord.child_id))).where(*in_period)) or 0
    )
    minutes, unclosed = open_minutes_by_day(basis)
    minimum = basis.settings.min_open_minutes_per_day
    rows, flagged, bars = [], [], []
    for day in sorted(set(visits) | set(minutes)):
        count, people = visits.get(day, (0, 0))
        open_minutes = round(minutes.get(day, 0.0))
        under = open_minutes < minimum
        rows.append(
            [
                day,
                t(f"weekday.{WEEKDAYS[day.weekday()]}"),
                open_minutes,
                t("room.unclosed") if day in unclosed else (t("room.under") if under else ""),
                count,
                people,
            ]
        )
        flagged.append(under)
        bars.append(Bar(day.strftime("%m-%d"), count, low=under))
    total_visits = sum(v[0] for v in visits.values())
    total_minutes = sum(r[2] for r in rows)
    days_table = Table(
        "per_day",
        t("room.per_day", minimum=minimum),
        [
            Column(t("room.date"), Kind.DATE),
            Column(t("room.weekday")),
            Column(t("room.open_minutes"), Kind.INT),
            Column(t("room.flag")),
            Column(t("room.visits"), Kind.INT),
            Column(t("room.children"), Kind.INT),
        ],
        rows,
        total=[
            t("room.days", count=len(rows)),
            None,
            total_minutes,
            t("room.days_under", count=sum(flagged)),
            total_visits,
            children_total,
        ],
        flagged=flagged,
    )
    hours = Counter(
        dict(
            basis.session.execute(
                select(VisitRecord.hour, func.count()).where(*in_period).group_by(VisitRecord.hour)
            ).all()
        )
    )
    hours_table = Table(
        "busiest_hours",
        t("room.busiest_hours"),
        [Column(t("room.hour")), Column(t("room.visits"), Kind.INT), Column(t("col.share"), Kind.PCT)],
        [[f"{h:02d}:00–{h + 1:02d}:00", n, share(n, total_visits)] for h, n in sorted(hours.items())],
        total=[t("common.total"), total_visits, share(total_visits, total_visits)],
    )
    minutes_chart = Chart(
        "open_minutes",
        t("room.chart_minutes"),
        [Bar(r[0].strftime("%m-%d"), r[2], low=f) for r, f in zip(rows, flagged, strict=True)],
        unit=t("room.minutes_unit"),
        target=minimum,
    )
    showing_tables, showing_figures = showings.tables(basis)
    return Report(
        "room",
        t("report.room"),
        basis.school.name,
        period,
        period.label(basis.locale),
        basis.now,
        [days_table, hours_table, *showing_tables],
        charts=[Chart("visits_per_day", t("room.chart_visits"), bars), minutes_chart],
        figures=[
            (t("room.open_days"), str(len(rows))),
            (t("room.hours_open"), f"{total_minutes / 60:.1f}"),
            (t("room.days_under_label", minimum=minimum), str(sum(flagged))),
            (t("room.visits"), str(total_visits)),
            (t("room.children"), str(children_total)),
            *showing_figures,
        ],
    )
