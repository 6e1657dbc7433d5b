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
from sync.server.reports.care_progress import (
    ChildStatus,
    child_status,
    earliest_needed,
    id_key,
    previous_window_ends,
    record_days,
)
from sync.server.reports.care_windows import Enrolled, covers, enrolled, pairings, pairs_overlapping


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
    session: Session,
    school: School,
    settings: SchoolSettings,
    today: date,
    children: list[CentralChild] | None,
) -> tuple[dict[uuid.UUID, ChildStatus], dict[uuid.UUID, set[uuid.UUID]]]:
    """Each child's status today (of `children`, or of the whole roster), and who is each child's
    代理家长 today. A teacher's few children are read alone, not the school's roster and records."""
    since = earliest_needed(settings, today)
    if children is None:
        roster = enrolled(session, school.id, since, today)
        ids = [c.id for c in roster if c.left_on is None or c.left_on > today]
        wanted = None
    else:
        roster = [Enrolled(c.id, c.class_name, c.joined_on, c.left_on) for c in children]
        ids = wanted = [c.id for c in children]
    found = pairings(pairs_overlapping(session, school.id, since, today), roster, since, today)
    ends = previous_window_ends(settings, today)
    paired_before = {kind: {p.child_id for p in found if covers(p.spans, day)} for kind, day in ends.items()}
    carers: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for pairing in found:
        if covers(pairing.spans, today):
            carers[pairing.child_id].add(pairing.teacher_id)
    records = record_days(session, school.id, since, today, wanted)
    # The last of each kind is shown, not judged: for the whole school, read only for those listed.
    last = last_records(session, school.id, wanted) if wanted is not None else {}
    statuses = child_status(ids, last, records, paired_before, settings, today, id_key(session))
    return statuses, carers


def my_children(
    session: Session, school: School, settings: SchoolSettings, teacher_id: uuid.UUID, today: date
) -> list[ChildCard]:
    mine = children_of(session, school.id, teacher_id, today)
    statuses, _ = _statuses(session, school, settings, today, [m.child for m in mine])
    calls = last_calls(session, school.id, [m.child.id for m in mine])
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
    for (child_id, kind), day in last_records(session, school.id, late).items():
        statuses[child_id].last[kind] = day
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
    session: Session, school: School, settings: SchoolSettings, child: CentralChild, today: date
) -> ChildStatus:
    statuses, _ = _statuses(session, school, settings, today, [child])
    return statuses[child.id]


def author_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(
        session.execute(select(OfficeUser.id, OfficeUser.display_name).where(OfficeUser.id.in_(ids)))
        .tuples()
        .all()
    )
