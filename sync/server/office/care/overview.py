"""What the care pages read: a teacher's children with the last of each record and what is due, and
the whole school's overdue lists, per child and per teacher. Queries live here, not in the pages."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CallRecord, CareKind, CareRecord, CentralChild, OfficeUser, School
from sync.server.office.care.scope import Mine, children_of
from sync.server.reports.basis import roster_in
from sync.server.reports.care_progress import (
    ChildStatus,
    child_status,
    earliest_needed,
    previous_window_ends,
    record_days,
)
from sync.server.reports.care_windows import covers, pairings, pairs_overlapping
from sync.server.reports.period import day_range


@dataclass(frozen=True, slots=True)
class ChildCard:
    mine: Mine
    status: ChildStatus
    last_call: datetime | None  # the last call home from the room's kiosk


def last_records(
    session: Session, school_id: uuid.UUID, child_ids: list[uuid.UUID] | None
) -> dict[tuple[uuid.UUID, CareKind], date]:
    query = select(CareRecord.child_id, CareRecord.kind, func.max(CareRecord.on_day)).where(
        CareRecord.school_id == school_id
    )
    if child_ids is not None:
        query = query.where(CareRecord.child_id.in_(child_ids))
    rows = session.execute(query.group_by(CareRecord.child_id, CareRecord.kind))
    return {(child_id, kind): day for child_id, kind, day in rows}


def last_calls(
    session: Session, school_id: uuid.UUID, child_ids: list[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    if not child_ids:
        return {}
    rows = session.execute(
        select(CallRecord.child_id, func.max(CallRecord.started_at))
        .where(CallRecord.school_id == school_id, CallRecord.child_id.in_(child_ids))
        .group_by(CallRecord.child_id)
    )
    return dict(rows.tuples().all())


def _statuses(
    session: Session, school: School, settings: SchoolSettings, today: date, child_ids: list[uuid.UUID] | None
) -> tuple[dict[uuid.UUID, ChildStatus], dict[uuid.UUID, set[uuid.UUID]]]:
    """Each child's status today, and who is each child's 代理家长 today."""
    since = earliest_needed(settings, today)
    period = day_range(since, today)
    roster = [c for c in roster_in(session, school.id, period) if child_ids is None or c.id in child_ids]
    found = pairings(pairs_overlapping(session, school.id, since, today), roster, since, today)
    ends = previous_window_ends(settings, today)
    paired_before = {kind: {p.child_id for p in found if covers(p.spans, day)} for kind, day in ends.items()}
    carers: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for pairing in found:
        if covers(pairing.spans, today):
            carers[pairing.child_id].add(pairing.teacher_id)
    wanted = set(child_ids) if child_ids is not None else None
    records = [
        r for r in record_days(session, school.id, since, today) if wanted is None or r.child_id in wanted
    ]
    ids = child_ids if child_ids is not None else [c.id for c in roster if c.on_roster(today)]
    last = last_records(session, school.id, child_ids)
    return child_status(ids, last, records, paired_before, settings, today), carers


def my_children(
    session: Session, school: School, settings: SchoolSettings, teacher_id: uuid.UUID, today: date
) -> list[ChildCard]:
    mine = children_of(session, school.id, teacher_id, today)
    ids = [m.child.id for m in mine]
    statuses, _ = _statuses(session, school, settings, today, ids)
    calls = last_calls(session, school.id, ids)
    return [ChildCard(m, statuses[m.child.id], calls.get(m.child.id)) for m in mine]


@dataclass(frozen=True, slots=True)
class OverdueChild:
    child: CentralChild
    status: ChildStatus
    teacher_ids: frozenset[uuid.UUID]


def overdue_lists(
    session: Session, school: School, settings: SchoolSettings, today: date
) -> tuple[list[OverdueChild], dict[uuid.UUID, ChildStatus], dict[uuid.UUID, set[uuid.UUID]]]:
    """Children overdue today (with their 代理家长), every child's status, and each child's carers."""
    statuses, carers = _statuses(session, school, settings, today, None)
    late = [child_id for child_id, status in statuses.items() if status.overdue]
    children = (
        {c.id: c for c in session.scalars(select(CentralChild).where(CentralChild.id.in_(late)))}
        if late
        else {}
    )
    listed = [
        OverdueChild(children[i], statuses[i], frozenset(carers.get(i, set()))) for i in late if i in children
    ]
    return listed, statuses, carers


def my_children_status(
    session: Session, school: School, settings: SchoolSettings, child_id: uuid.UUID, today: date
) -> ChildStatus:
    statuses, _ = _statuses(session, school, settings, today, [child_id])
    return statuses[child_id]


def author_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(
        session.execute(select(OfficeUser.id, OfficeUser.display_name).where(OfficeUser.id.in_(ids)))
        .tuples()
        .all()
    )
