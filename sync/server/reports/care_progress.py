"""How far the care network met the school's targets: per teacher over a semester or a school year
(the table their year-end appraisal counts, 003:L330), and per child today (what is due, what is
overdue).

A teacher's window counts when it has closed while the teacher was the child's 代理家长 (its last day
is past and they were paired on it), or — still open — when it already has a record: a week is not
held against anyone on its Monday. 家访 are counted per semester against the school's number, at
most that many per child (five visits to one child do not make up for another never visited). A
teacher's figures count their own records; a child's status counts anybody's, because what matters
for the child is that somebody came.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CareCadence, CareKind, CareRecord
from sync.server.reports.care_windows import (
    Pairing,
    Span,
    covers,
    semesters_between,
    window_of,
    windows_between,
)

VISIT_WARNING_DAYS = 30  # a semester's visits are overdue when fewer remain than this and some are missing


@dataclass
class Tally:
    done: int = 0
    required: int = 0
    count: int = 0  # records, however many per window

    def add(self, other: Tally) -> None:
        self.done += other.done
        self.required += other.required
        self.count += other.count


@dataclass
class TeacherProgress:
    teacher_id: uuid.UUID
    children: set[uuid.UUID] = field(default_factory=set)
    talk: Tally = field(default_factory=Tally)
    visit: Tally = field(default_factory=Tally)
    contact: Tally = field(default_factory=Tally)

    @property
    def rate(self) -> float | None:
        done = self.talk.done + self.visit.done + self.contact.done
        required = self.talk.required + self.visit.required + self.contact.required
        return None if required == 0 else round(100 * done / required, 1)


class RecordDays(NamedTuple):
    """One author's records of one kind about one child: how many, and their days. The database
    groups them (a year of a big school is 100,000 records, a few thousand groups); ids come as text
    (`id_key`), which hashes and compares in C where UUID objects do not."""

    author_id: Hashable
    child_id: Hashable
    kind: str  # a CareKind value
    days: tuple[date, ...]


def id_key(session: Session) -> Callable[[uuid.UUID], Hashable]:
    """How an id reads when the database gives it as text (`record_days`): 32 hex digits on SQLite,
    the dashed form on PostgreSQL."""
    return (lambda u: u.hex) if session.get_bind().dialect.name == "sqlite" else str


def record_days(
    session: Session,
    school_id: uuid.UUID,
    start: date,
    end: date,
    child_ids: Collection[uuid.UUID] | None = None,
) -> list[RecordDays]:
    query = (
        select(
            cast(CareRecord.author_id, String),
            cast(CareRecord.child_id, String),
            cast(CareRecord.kind, String),
            func.aggregate_strings(cast(CareRecord.on_day, String), ","),
        )
        .where(CareRecord.school_id == school_id, CareRecord.on_day >= start, CareRecord.on_day <= end)
        .group_by(CareRecord.author_id, CareRecord.child_id, CareRecord.kind)
    )
    if child_ids is not None:
        query = query.where(CareRecord.child_id.in_(list(child_ids)))
    # Every day of the range by its text, so a group's days are read by one map() in C.
    calendar = {
        (start + timedelta(days=n)).isoformat(): start + timedelta(days=n)
        for n in range((end - start).days + 1)
    }
    found = []
    for author, child, kind, joined in session.execute(query).tuples():
        found.append(RecordDays(author, child, kind, tuple(map(calendar.__getitem__, joined.split(",")))))
    return found


def cadence_of(kind: str, settings: SchoolSettings) -> CareCadence:
    return settings.talk_cadence if kind == CareKind.TALK else settings.family_contact_cadence


_WINDOWED = (CareKind.TALK, CareKind.CONTACT)


class _Calendar:
    """The windows of one cadence in [start, end] as `teacher_progress` judges them on `today`: the
    closed ones (their last day in the period is past) come first, then at most one open window."""

    def __init__(self, cadence: CareCadence, start: date, end: date, today: date) -> None:
        last = min(end, today)
        windows = [(first, min(w_last, end)) for first, w_last in windows_between(cadence, start, last)]
        self.closings = [closing for _, closing in windows]
        self.index = {first: n for n, (first, _) in enumerate(windows)}
        self.closed = sum(1 for closing in self.closings if closing < today)
        self.open = windows[self.closed] if self.closed < len(windows) else None
        self.today = today

    def met(self, spans: Iterable[Span], done: set[date]) -> tuple[int, int]:
        """(windows met, windows due) for a pair on `spans` with records in the windows `done`: a
        closed window is due when the pair ran on its last day; the open one only once it is met."""
        met = due = 0
        for first, last in spans:
            low = bisect_left(self.closings, first)
            high = min(bisect_right(self.closings, last), self.closed)
            due += max(high - low, 0)
            met += sum(1 for opened in done if low <= self.index.get(opened, -1) < high)
            if self.open is not None and self.open[0] in done:
                judged = min(self.today, self.open[1])
                if first <= judged <= last:
                    due += 1
                    met += 1
        return met, due


def teacher_progress(
    pairings: Iterable[Pairing],
    records: list[RecordDays],
    settings: SchoolSettings,
    start: date,
    end: date,
    today: date,
    key: Callable[[uuid.UUID], Hashable] = lambda u: u,
) -> dict[uuid.UUID, TeacherProgress]:
    """Each teacher's figures for [start, end], judged on `today` (windows after it are not due);
    `key`: how the records' ids read (`id_key`)."""
    last = min(end, today)
    done_in: dict[tuple[Hashable, Hashable, str], set[date]] = defaultdict(set)  # window firsts met
    visits: Counter[tuple[Hashable, Hashable, date]] = Counter()
    counts: Counter[tuple[Hashable, str]] = Counter()
    terms = semesters_between(start, end, settings)
    # Each day's window, worked out once per day of the period (a year has 365; records, 100,000).
    days_of_period = [start + timedelta(days=n) for n in range((last - start).days + 1)]
    first_of = {
        kind: {day: window_of(cadence_of(kind, settings), day)[0] for day in days_of_period}
        for kind in _WINDOWED
    }
    for author, child, kind, days in records:
        counts[(author, kind)] += len(days)
        if kind == CareKind.VISIT:
            for on_day in days:
                term = next(t for t in terms if t.start <= on_day <= t.end)
                visits[(author, child, term.start)] += 1
            continue
        firsts = first_of[kind]
        done_in[(author, child, kind)] |= {firsts[d] for d in days if d in firsts}
    calendars = {kind: _Calendar(cadence_of(kind, settings), start, end, today) for kind in _WINDOWED}
    found: dict[uuid.UUID, TeacherProgress] = {}
    for pairing in pairings:
        teacher = found.setdefault(pairing.teacher_id, TeacherProgress(pairing.teacher_id))
        teacher.children.add(pairing.child_id)
        author, child = key(pairing.teacher_id), key(pairing.child_id)
        for kind, tally in ((CareKind.TALK, teacher.talk), (CareKind.CONTACT, teacher.contact)):
            done, required = calendars[kind].met(pairing.spans, done_in.get((author, child, kind), set()))
            tally.done += done
            tally.required += required
        for term in terms:
            if term.start > last or not covers(pairing.spans, min(term.end, end, today)):
                continue
            teacher.visit.required += settings.visits_per_semester
            teacher.visit.done += min(visits[(author, child, term.start)], settings.visits_per_semester)
    for teacher_id, teacher in found.items():
        teacher.talk.count = counts[(key(teacher_id), CareKind.TALK)]
        teacher.visit.count = counts[(key(teacher_id), CareKind.VISIT)]
        teacher.contact.count = counts[(key(teacher_id), CareKind.CONTACT)]
    return found


@dataclass
class ChildStatus:
    """One child's care today: the last of each kind (by anybody) and what is due or overdue."""

    child_id: uuid.UUID
    last: dict[CareKind, date] = field(default_factory=dict)
    talk_due: bool = False  # nothing yet in this window
    talk_overdue: bool = False  # nothing in the window before this one (a missed window)
    contact_due: bool = False
    contact_overdue: bool = False
    visits_this_semester: int = 0
    visits_missing: int = 0
    visits_overdue: bool = False  # some missing with under VISIT_WARNING_DAYS of the semester left

    @property
    def overdue(self) -> bool:
        return self.talk_overdue or self.contact_overdue or self.visits_overdue


def child_status(
    child_ids: Iterable[uuid.UUID],
    last: dict[tuple[uuid.UUID, CareKind], date],
    records: list[RecordDays],
    paired_before: dict[CareKind, set[uuid.UUID]],
    settings: SchoolSettings,
    today: date,
    key: Callable[[uuid.UUID], Hashable] = lambda u: u,
) -> dict[uuid.UUID, ChildStatus]:
    """`records` must reach back to `earliest_needed`; `paired_before`: per kind, the children who
    had a 代理家长 on the last day of that kind's previous window (`previous_window_ends`); `key`:
    how the records' ids read (`id_key`)."""
    term = next(iter(semesters_between(today, today, settings)))
    current = {k: window_of(cadence_of(k, settings), today) for k in (CareKind.TALK, CareKind.CONTACT)}
    previous = {k: window_of(cadence_of(k, settings), w[0] - timedelta(days=1)) for k, w in current.items()}
    seen: set[tuple[Hashable, str, str]] = set()
    visits: Counter[Hashable] = Counter()
    # Which of the two windows each day falls in, per kind, looked up rather than compared.
    window_names: dict[str, dict[date, str]] = {}
    for kind in _WINDOWED:
        names = window_names[kind] = {}
        for name, (first, window_last) in (("now", current[kind]), ("before", previous[kind])):
            for n in range((window_last - first).days + 1):
                names[first + timedelta(days=n)] = name
    for _, child, kind, days in records:
        if kind == CareKind.VISIT:
            visits[child] += sum(1 for on_day in days if term.start <= on_day <= term.end)
            continue
        names = window_names[kind]
        for name in {names.get(on_day) for on_day in days}:
            if name is not None:
                seen.add((child, kind, name))
    found: dict[uuid.UUID, ChildStatus] = {}
    days_left = (term.end - today).days
    for child_id in child_ids:
        status = ChildStatus(child_id, {k: d for k in CareKind if (d := last.get((child_id, k)))})
        ident = key(child_id)
        status.talk_due = (ident, CareKind.TALK, "now") not in seen
        status.talk_overdue = (
            child_id in paired_before[CareKind.TALK] and (ident, CareKind.TALK, "before") not in seen
        )
        status.contact_due = (ident, CareKind.CONTACT, "now") not in seen
        status.contact_overdue = (
            child_id in paired_before[CareKind.CONTACT] and (ident, CareKind.CONTACT, "before") not in seen
        )
        status.visits_this_semester = visits[ident]
        status.visits_missing = max(settings.visits_per_semester - visits[ident], 0)
        status.visits_overdue = status.visits_missing > 0 and days_left < VISIT_WARNING_DAYS
        found[child_id] = status
    return found


def previous_window_ends(settings: SchoolSettings, today: date) -> dict[CareKind, date]:
    return {
        kind: window_of(cadence_of(kind, settings), today)[0] - timedelta(days=1)
        for kind in (CareKind.TALK, CareKind.CONTACT)
    }


def earliest_needed(settings: SchoolSettings, today: date) -> date:
    """How far back `child_status` needs records: the semester's start and both previous windows."""
    term = next(iter(semesters_between(today, today, settings)))
    starts = [term.start]
    for kind in (CareKind.TALK, CareKind.CONTACT):
        current = window_of(cadence_of(kind, settings), today)
        starts.append(window_of(cadence_of(kind, settings), current[0] - timedelta(days=1))[0])
    return min(starts)


def by_teacher(statuses: dict[uuid.UUID, ChildStatus], teachers_of: dict[uuid.UUID, set[uuid.UUID]]) -> dict:
    """How many of each teacher's children are overdue, per kind."""
    found: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    for child_id, teachers in teachers_of.items():
        status = statuses.get(child_id)
        if status is None:
            continue
        for teacher_id in teachers:
            found[teacher_id]["children"] += 1
            found[teacher_id]["talk"] += status.talk_overdue
            found[teacher_id]["contact"] += status.contact_overdue
            found[teacher_id]["visit"] += status.visits_overdue
            found[teacher_id]["any"] += status.overdue
    return found
