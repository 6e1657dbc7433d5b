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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CareCadence, CareKind, CareRecord
from sync.server.reports.care_windows import (
    Pairing,
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


@dataclass(frozen=True, slots=True)
class RecordDay:
    author_id: uuid.UUID
    child_id: uuid.UUID
    kind: CareKind
    on_day: date


def record_days(session: Session, school_id: uuid.UUID, start: date, end: date) -> list[RecordDay]:
    rows = session.execute(
        select(CareRecord.author_id, CareRecord.child_id, CareRecord.kind, CareRecord.on_day).where(
            CareRecord.school_id == school_id, CareRecord.on_day >= start, CareRecord.on_day <= end
        )
    )
    return [RecordDay(*row) for row in rows]


def cadence_of(kind: CareKind, settings: SchoolSettings) -> CareCadence:
    return settings.talk_cadence if kind is CareKind.TALK else settings.family_contact_cadence


def teacher_progress(
    pairings: Iterable[Pairing],
    records: list[RecordDay],
    settings: SchoolSettings,
    start: date,
    end: date,
    today: date,
) -> dict[uuid.UUID, TeacherProgress]:
    """Each teacher's figures for [start, end], judged on `today` (windows after it are not due)."""
    last = min(end, today)
    windows_done: set[tuple[uuid.UUID, uuid.UUID, CareKind, date]] = set()
    visits: Counter[tuple[uuid.UUID, uuid.UUID, date]] = Counter()
    counts: Counter[tuple[uuid.UUID, CareKind]] = Counter()
    terms = semesters_between(start, end, settings)
    opened: dict[tuple[CareKind, date], date] = {}  # a year has 365 days, and 100,000 records
    for record in records:
        counts[(record.author_id, record.kind)] += 1
        if record.kind is CareKind.VISIT:
            term = next(t for t in terms if t.start <= record.on_day <= t.end)
            visits[(record.author_id, record.child_id, term.start)] += 1
            continue
        key = (record.kind, record.on_day)
        if key not in opened:
            opened[key] = window_of(cadence_of(record.kind, settings), record.on_day)[0]
        windows_done.add((record.author_id, record.child_id, record.kind, opened[key]))
    # The same windows for every pairing: each with the day it closes in the period and whether it has.
    windows = {
        kind: [
            (first, min(window_last, end), min(window_last, end) < today)
            for first, window_last in windows_between(cadence_of(kind, settings), start, last)
        ]
        for kind in (CareKind.TALK, CareKind.CONTACT)
    }
    found: dict[uuid.UUID, TeacherProgress] = {}
    for pairing in pairings:
        teacher = found.setdefault(pairing.teacher_id, TeacherProgress(pairing.teacher_id))
        teacher.children.add(pairing.child_id)
        for kind, tally in ((CareKind.TALK, teacher.talk), (CareKind.CONTACT, teacher.contact)):
            for first, closing, closed in windows[kind]:
                done = (pairing.teacher_id, pairing.child_id, kind, first) in windows_done
                if covers(pairing.spans, closing if closed else min(today, closing)) and (closed or done):
                    tally.required += 1
                    tally.done += done
        for term in terms:
            if term.start > last or not covers(pairing.spans, min(term.end, end, today)):
                continue
            teacher.visit.required += settings.visits_per_semester
            teacher.visit.done += min(
                visits[(pairing.teacher_id, pairing.child_id, term.start)], settings.visits_per_semester
            )
    for teacher_id, teacher in found.items():
        teacher.talk.count = counts[(teacher_id, CareKind.TALK)]
        teacher.visit.count = counts[(teacher_id, CareKind.VISIT)]
        teacher.contact.count = counts[(teacher_id, CareKind.CONTACT)]
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
    records: list[RecordDay],
    paired_before: dict[CareKind, set[uuid.UUID]],
    settings: SchoolSettings,
    today: date,
) -> dict[uuid.UUID, ChildStatus]:
    """`records` must reach back to `earliest_needed`; `paired_before`: per kind, the children who
    had a 代理家长 on the last day of that kind's previous window (`previous_window_ends`)."""
    term = next(iter(semesters_between(today, today, settings)))
    current = {k: window_of(cadence_of(k, settings), today) for k in (CareKind.TALK, CareKind.CONTACT)}
    previous = {k: window_of(cadence_of(k, settings), w[0] - timedelta(days=1)) for k, w in current.items()}
    seen: set[tuple[uuid.UUID, CareKind, str]] = set()
    visits: Counter[uuid.UUID] = Counter()
    for record in records:
        if record.kind is CareKind.VISIT:
            visits[record.child_id] += term.start <= record.on_day <= term.end
            continue
        for name, window in (("now", current[record.kind]), ("before", previous[record.kind])):
            if window[0] <= record.on_day <= window[1]:
                seen.add((record.child_id, record.kind, name))
    found: dict[uuid.UUID, ChildStatus] = {}
    days_left = (term.end - today).days
    for child_id in child_ids:
        status = ChildStatus(child_id, {k: d for k in CareKind if (d := last.get((child_id, k)))})
        status.talk_due = (child_id, CareKind.TALK, "now") not in seen
        status.talk_overdue = (
            child_id in paired_before[CareKind.TALK] and (child_id, CareKind.TALK, "before") not in seen
        )
        status.contact_due = (child_id, CareKind.CONTACT, "now") not in seen
        status.contact_overdue = (
            child_id in paired_before[CareKind.CONTACT] and (child_id, CareKind.CONTACT, "before") not in seen
        )
        status.visits_this_semester = visits[child_id]
        status.visits_missing = max(settings.visits_per_semester - visits[child_id], 0)
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
