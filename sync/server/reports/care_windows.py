"""The calendar of the care network's targets, and who was whose 代理家长 on which days.

A target is met window by window: a 谈心 "every week" is met in a week with at least one talk, not by
26 talks on one afternoon. Weeks run Monday to Sunday, half months from the 1st to the 15th and from
the 16th to the month's end, months are calendar months; 家访 are counted per semester.

A child's 代理家长 on a day is the teacher of the child's own pair that day, or else the 班主任 whose
class pair covers the child's class that day; so a class pair stands in for every child of the class
who has nobody of their own, and a child given a pair of their own mid-semester moves to that teacher
from that day. A child is counted only while on the roster.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CareCadence, CarePair, CentralChild, ClassPlacement
from sync.server.reports.basis import RosterChild
from sync.server.reports.period import Period, PeriodKind, semester, semester_of

Span = tuple[date, date]  # first and last day, inclusive
FAR = date(9999, 12, 31)


def window_of(cadence: CareCadence, day: date) -> Span:
    if cadence is CareCadence.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    first = day.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    if cadence is CareCadence.MONTHLY:
        return first, next_month - timedelta(days=1)
    if day.day <= 15:
        return first, first.replace(day=15)
    return first.replace(day=16), next_month - timedelta(days=1)


def windows_between(cadence: CareCadence, start: date, end: date) -> list[Span]:
    """Every window that has a day in [start, end], in order."""
    found, day = [], start
    while day <= end:
        window = window_of(cadence, day)
        found.append(window)
        day = window[1] + timedelta(days=1)
    return found


def semesters_between(start: date, end: date, settings: SchoolSettings) -> list[Period]:
    found, day = [], start
    while day <= end:
        term = semester_of(day, settings)
        found.append(term)
        day = term.end + timedelta(days=1)
    return found


def school_year(first_year: int, settings: SchoolSettings) -> Period:
    """学年: the autumn semester of `first_year` and the spring semester after it (the year a teacher's
    pairing work is appraised over, 003:L329)."""
    autumn = semester(first_year, "autumn", settings)
    spring = semester(first_year + 1, "spring", settings)
    return Period(PeriodKind.RANGE, autumn.start, spring.end, f"range:{autumn.start}..{spring.end}")


def year_label(period: Period, locale: str) -> str:
    first, second = period.start.year, period.end.year
    return f"{first}—{second}学年" if locale == "zh_CN" else f"School year {first}–{second}"


def covers(spans: Iterable[Span], day: date) -> bool:
    return any(first <= day <= last for first, last in spans)


def _clip(span: Span, within: Span) -> Span | None:
    first, last = max(span[0], within[0]), min(span[1], within[1])
    return (first, last) if first <= last else None


def _minus(spans: list[Span], cut: list[Span]) -> list[Span]:
    """The days of `spans` outside every span of `cut`."""
    remaining = spans
    for cut_first, cut_last in cut:
        kept: list[Span] = []
        for first, last in remaining:
            if cut_last < first or cut_first > last:
                kept.append((first, last))
                continue
            if first < cut_first:
                kept.append((first, cut_first - timedelta(days=1)))
            if last > cut_last:
                kept.append((cut_last + timedelta(days=1), last))
        remaining = kept
    return remaining


class Enrolled(NamedTuple):
    """A child as the pairs need them: in which class (at the end of the asked days), on the roster
    from and until when. (basis.RosterChild has these fields too and serves as well.)"""

    id: uuid.UUID
    class_name: str
    joined_on: date | None
    left_on: date | None


def enrolled(session: Session, school_id: uuid.UUID, start: date, end: date) -> list[Enrolled]:
    """The children on the roster on some day of [start, end], in the class they were in on its last
    day (or on their own last day), read as four columns rather than whole rows."""
    moves: dict[uuid.UUID, list[tuple[date, str]]] = defaultdict(list)
    for child_id, valid_from, class_name in session.execute(
        select(ClassPlacement.child_id, ClassPlacement.valid_from, ClassPlacement.class_name)
        .where(ClassPlacement.school_id == school_id, ClassPlacement.valid_from <= end)
        .order_by(ClassPlacement.valid_from)
    ):
        moves[child_id].append((valid_from, class_name))
    found = []
    for child_id, class_name, joined_on, left_on in session.execute(
        select(CentralChild.id, CentralChild.class_name, CentralChild.joined_on, CentralChild.left_on).where(
            CentralChild.school_id == school_id,
            or_(CentralChild.joined_on.is_(None), CentralChild.joined_on <= end),
            or_(CentralChild.left_on.is_(None), CentralChild.left_on > start),
        )
    ):
        last = end if left_on is None else min(end, left_on - timedelta(days=1))
        earlier = [name for valid_from, name in moves.get(child_id, []) if valid_from <= last]
        found.append(Enrolled(child_id, earlier[-1] if earlier else class_name, joined_on, left_on))
    return found


@dataclass(frozen=True, slots=True)
class Pairing:
    teacher_id: uuid.UUID
    child_id: uuid.UUID
    spans: tuple[Span, ...]  # the days in the asked range on which this teacher was the 代理家长
    by_class: bool  # through a class pair (as 班主任), not a pair of the child's own


def pairs_overlapping(session: Session, school_id: uuid.UUID, start: date, end: date) -> list[CarePair]:
    return list(
        session.scalars(
            select(CarePair).where(
                CarePair.school_id == school_id,
                CarePair.starts_on <= end,
                or_(CarePair.ends_on.is_(None), CarePair.ends_on >= start),
            )
        )
    )


def pairings(
    pairs: list[CarePair], roster: Sequence[Enrolled | RosterChild], start: date, end: date
) -> list[Pairing]:
    """Who was each child's 代理家长 on which days of [start, end]."""
    asked: Span = (start, end)
    on_roster: dict[uuid.UUID, Span] = {}
    by_class: dict[str, list[uuid.UUID]] = defaultdict(list)
    for child in roster:
        first = max(child.joined_on or start, start)
        last = min((child.left_on - timedelta(days=1)) if child.left_on else end, end)
        if first <= last:
            on_roster[child.id] = (first, last)
            by_class[child.class_name].append(child.id)
    own: dict[tuple[uuid.UUID, uuid.UUID], list[Span]] = defaultdict(list)
    own_days: dict[uuid.UUID, list[Span]] = defaultdict(list)
    class_pairs = []
    for pair in pairs:
        span = _clip((pair.starts_on, pair.ends_on or FAR), asked)
        if span is None:
            continue
        if pair.child_id is None:
            class_pairs.append((pair, span))
        elif pair.child_id in on_roster and (days := _clip(span, on_roster[pair.child_id])):
            own[(pair.teacher_id, pair.child_id)].append(days)
            own_days[pair.child_id].append(days)
    found = [Pairing(t, c, tuple(sorted(s)), False) for (t, c), s in own.items()]
    through_class: dict[tuple[uuid.UUID, uuid.UUID], list[Span]] = defaultdict(list)
    for pair, span in class_pairs:
        for child_id in by_class.get(pair.class_name or "", []):
            days = _clip(span, on_roster[child_id])
            if days is not None:
                through_class[(pair.teacher_id, child_id)] += _minus([days], own_days.get(child_id, []))
    found += [Pairing(t, c, tuple(sorted(s)), True) for (t, c), s in through_class.items() if s]
    return found


def class_teachers(pairs: list[CarePair], day: date) -> dict[str, set[uuid.UUID]]:
    """班主任 of each class on `day`: they see the whole class's records."""
    found: dict[str, set[uuid.UUID]] = defaultdict(set)
    for pair in pairs:
        if pair.class_name and pair.starts_on <= day <= (pair.ends_on or FAR):
            found[pair.class_name].add(pair.teacher_id)
    return found
