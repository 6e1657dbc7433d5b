"""The county overview's figures for all its schools at once, in a handful of queries whatever their
number: a city's two hundred schools cost about what twenty did, not ten times as much.

Each school is still measured by its own rules — its semester days, its contact cadence, its minimum
opening time, its time zone — so schools are taken in groups that read the period alike (usually one
group), and each figure is the very number the school's own reports give:

- children in the period and on the roster at its as-of day: from the roster; of them the official
  count (国家口径): the roster grouped by the facts that decide it, each group judged by the 统计表's rule;
- came to the room: from each child's months of visits (sync.server.models.summaries), not the visits;
- overdue for contact: on the roster and no call or letter in the cadence before as-of — a window of
  the last days, not every contact ever made;
- open days, hours and days under the minimum: from each opening's pieces per day and the days with
  visits; loans: from the daily figures.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CallRecord, CentralChild, LetterRecord
from sync.server.models.summaries import ChildVisitMonth, DailyRoomFigures, RoomSessionPiece
from sync.server.reports.official import Missing, Standing, cutoff_day, sixteen_by, standing_of
from sync.server.reports.period import Period

ALL_DAYS = (1 << 31) - 1


@dataclass(frozen=True)
class SchoolPeriod:
    """One school and the period as its own calendar reads the county's period code."""

    school_id: uuid.UUID
    settings: SchoolSettings
    period: Period
    as_of: datetime
    as_of_day: date

    @property
    def reading(self) -> tuple[date, date, datetime, date, int, date]:
        """Schools that read the period alike share every query."""
        return (
            self.period.start,
            self.period.end,
            self.as_of,
            self.as_of_day,
            self.settings.contact_cadence.days,
            cutoff_day(self.settings, self.period),
        )


def school_lines(session: Session, schools: list[SchoolPeriod]) -> dict[uuid.UUID, list[int]]:
    """[children in period, of them counted officially, came to the room, on roster at as-of, overdue,
    open days, open minutes, days under the minimum, loans] for every school."""
    groups: dict[tuple, list[SchoolPeriod]] = defaultdict(list)
    for school in schools:
        groups[school.reading].append(school)
    lines: dict[uuid.UUID, list[int]] = {}
    for (start, end, as_of, as_of_day, cadence, cutoff), members in groups.items():
        ids = [m.school_id for m in members]
        roster = _roster_counts(session, ids, start, end, as_of_day)
        official = _official(session, ids, start, end, cutoff)
        came = _came(session, ids, start, end)
        overdue = _overdue(session, ids, as_of, as_of_day, timedelta(days=cadence))
        room = _room(session, {m.school_id: m.settings.min_open_minutes_per_day for m in members}, start, end)
        for member in members:
            children, on_roster = roster.get(member.school_id, (0, 0))
            lines[member.school_id] = [
                children,
                official.get(member.school_id, 0),
                came.get(member.school_id, 0),
                on_roster,
                overdue.get(member.school_id, 0),
                *room[member.school_id],
            ]
    return lines


def _in_period(start: date, end: date) -> ColumnElement[bool]:
    return and_(
        or_(CentralChild.joined_on.is_(None), CentralChild.joined_on <= end),
        or_(CentralChild.left_on.is_(None), CentralChild.left_on > start),
    )


def _on_roster(day: date) -> ColumnElement[bool]:
    return and_(
        or_(CentralChild.joined_on.is_(None), CentralChild.joined_on <= day),
        or_(CentralChild.left_on.is_(None), CentralChild.left_on > day),
    )


def _roster_counts(
    session: Session, ids: list[uuid.UUID], start: date, end: date, as_of_day: date
) -> dict[uuid.UUID, tuple[int, int]]:
    rows = session.execute(
        select(CentralChild.school_id, func.count(), func.sum(case((_on_roster(as_of_day), 1), else_=0)))
        .where(CentralChild.school_id.in_(ids), _in_period(start, end))
        .group_by(CentralChild.school_id)
    )
    return {school: (int(children), int(on_roster or 0)) for school, children, on_roster in rows}


def _official(
    session: Session, ids: list[uuid.UUID], start: date, end: date, cutoff: date
) -> dict[uuid.UUID, int]:
    """The children of the period in the official count, as the 统计表 counts them: grouped by the
    facts that decide it (under sixteen on the cut-off day, which parents are away, whether the one at
    home can care; each may be 未填), and each group judged once by the form's own rule."""
    under = case(
        (CentralChild.birthday.is_(None), None), (CentralChild.birthday > sixteen_by(cutoff), 1), else_=0
    )
    facts = (under, CentralChild.father_away, CentralChild.mother_away, CentralChild.home_parent_unable)
    found: dict[uuid.UUID, int] = defaultdict(int)
    for school, younger, father, mother, unable, count in session.execute(
        select(CentralChild.school_id, *facts, func.count())
        .where(CentralChild.school_id.in_(ids), _in_period(start, end))
        .group_by(CentralChild.school_id, *facts)
    ):
        known = {
            Missing.BIRTHDAY: None if younger is None else bool(younger),
            Missing.FATHER_AWAY: father,
            Missing.MOTHER_AWAY: mother,
            Missing.HOME_PARENT_UNABLE: unable,
        }
        if standing_of(known) is Standing.OFFICIAL:
            found[school] += int(count)
    return found


def _came(session: Session, ids: list[uuid.UUID], start: date, end: date) -> dict[uuid.UUID, int]:
    """Children of the period with at least one visit in it: their months' day bits, masked to the
    period's days in its first and last month."""
    masks = {}
    month = start.replace(day=1)
    while month <= end:
        first = start.day if month == start.replace(day=1) else 1
        last = end.day if month == end.replace(day=1) else 31
        masks[month] = ((1 << last) - 1) & ~((1 << (first - 1)) - 1)
        month = (month + timedelta(days=32)).replace(day=1)
    in_days = ChildVisitMonth.days.op("&")(case(masks, value=ChildVisitMonth.month, else_=0)) != 0
    rows = session.execute(
        select(ChildVisitMonth.school_id, func.count(distinct(ChildVisitMonth.child_id)))
        .join(CentralChild, CentralChild.id == ChildVisitMonth.child_id)
        .where(
            ChildVisitMonth.school_id.in_(ids),
            ChildVisitMonth.month >= start.replace(day=1),
            ChildVisitMonth.month <= end,
            in_days,
            CentralChild.school_id == ChildVisitMonth.school_id,
            _in_period(start, end),
        )
        .group_by(ChildVisitMonth.school_id)
    )
    return {school: int(count) for school, count in rows}


def _overdue(
    session: Session, ids: list[uuid.UUID], as_of: datetime, as_of_day: date, cadence: timedelta
) -> dict[uuid.UUID, int]:
    """On the roster at as-of and no contact in (as-of − cadence, as-of]: the last contact, if any, is
    at least the cadence ago — exactly the school's own contact report's test."""
    since = as_of - cadence
    called = exists().where(
        CallRecord.school_id == CentralChild.school_id,
        CallRecord.child_id == CentralChild.id,
        CallRecord.started_at > since,
        CallRecord.started_at <= as_of,
    )
    wrote = exists().where(
        LetterRecord.school_id == CentralChild.school_id,
        LetterRecord.child_id == CentralChild.id,
        LetterRecord.recorded_at > since,
        LetterRecord.recorded_at <= as_of,
    )
    rows = session.execute(
        select(CentralChild.school_id, func.count())
        .where(CentralChild.school_id.in_(ids), _on_roster(as_of_day), ~called, ~wrote)
        .group_by(CentralChild.school_id)
    )
    return {school: int(count) for school, count in rows}


def _room(
    session: Session, minimums: dict[uuid.UUID, int], start: date, end: date
) -> dict[uuid.UUID, tuple[int, int, int, int]]:
    """Per school: (open days, open minutes, days under the school's minimum, loans) in the period,
    added up by the database — a city's schools' days never travel to Python one by one. A day is open
    when an opening of the period ran on it or a child came (0 minutes then); an opening counts when it
    opened in the period. Under the minimum is the school report's test, round(minutes) < minimum, with
    Python's rounding (half to even) spelled out: minutes < minimum - 0.5, or equal to it when the
    minimum is odd."""
    ids = list(minimums)
    pieces = select(
        RoomSessionPiece.school_id, RoomSessionPiece.day, RoomSessionPiece.minutes.label("minutes")
    ).where(
        RoomSessionPiece.school_id.in_(ids),
        RoomSessionPiece.opened_day >= start,
        RoomSessionPiece.opened_day <= end,
        RoomSessionPiece.day >= start,
        RoomSessionPiece.day <= end,
    )
    daily = (DailyRoomFigures.school_id.in_(ids), DailyRoomFigures.day >= start, DailyRoomFigures.day <= end)
    visited = select(
        DailyRoomFigures.school_id, DailyRoomFigures.day, literal(0.0, Float).label("minutes")
    ).where(*daily, DailyRoomFigures.visits > 0)
    both = union_all(pieces, visited).subquery()
    days = (
        select(both.c.school_id, func.sum(both.c.minutes).label("minutes"))
        .group_by(both.c.school_id, both.c.day)
        .subquery()
    )
    half_below = case({school: minimum - 0.5 for school, minimum in minimums.items()}, value=days.c.school_id)
    odd = case({school: minimum % 2 for school, minimum in minimums.items()}, value=days.c.school_id)
    under = or_(days.c.minutes < half_below, and_(days.c.minutes == half_below, odd == 1))
    under_count = func.sum(case((under, 1), else_=0))
    found = {
        school: (int(open_days), round(float(minutes or 0.0)), int(under_days or 0))
        for school, open_days, minutes, under_days in session.execute(
            select(days.c.school_id, func.count(), func.sum(days.c.minutes), under_count).group_by(
                days.c.school_id
            )
        )
    }
    loans = dict(
        session.execute(
            select(DailyRoomFigures.school_id, func.sum(DailyRoomFigures.loans))
            .where(*daily)
            .group_by(DailyRoomFigures.school_id)
        ).all()
    )
    return {school: (*found.get(school, (0, 0, 0)), int(loans.get(school) or 0)) for school in ids}
