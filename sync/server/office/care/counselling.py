"""Counselling records (心理咨询记录卡): 「心理咨询老师应对留守儿童的有关心理咨询资料予以绝对保密」
(003:L229).

Only the school's counsellors (Right.COUNSEL) write and read their content. Anyone else who may see
the child learns that records exist and on which days, never what they say — the functions here that
serve them return days and counts, not rows. The bureau gets counts per school and month. Kiosks never
receive any of it (the table is not a CentralRow), no export carries a name with it, and a child's
erasure blanks the content (sync.server.office.care.care_erasure).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import CentralChild, CounsellingRecord, OfficeUser
from sync.server.office.fields import FieldProblem

CONTENT_MAX = 4000
DAYS_BACK = 31


@dataclass(frozen=True, slots=True)
class CounsellingRow:
    record: CounsellingRecord
    child_name: str
    class_name: str
    counsellor: str


def check(on_day: date, minutes: int | None, content: str, follow_up: str, today: date) -> None:
    if on_day > today:
        raise FieldProblem("day_in_future")
    if on_day < today - timedelta(days=DAYS_BACK):
        raise FieldProblem("day_too_old")
    if not content:
        raise FieldProblem("content_missing")
    if len(content) > CONTENT_MAX or len(follow_up) > CONTENT_MAX:
        raise FieldProblem("notes_too_long")
    if minutes is not None and not 1 <= minutes <= 240:
        raise FieldProblem("minutes_invalid")


def create(
    session: Session,
    school_id: uuid.UUID,
    child_id: uuid.UUID,
    counsellor_id: uuid.UUID,
    *,
    on_day: date,
    minutes: int | None,
    content: str,
    follow_up: str,
) -> CounsellingRecord:
    child = session.get(CentralChild, child_id)
    if child is None or child.school_id != school_id or child.erased_at is not None:
        raise FieldProblem("child_unknown")
    now = now_of(session)
    record = CounsellingRecord(
        id=uuid.uuid4(),
        school_id=school_id,
        child_id=child_id,
        counsellor_id=counsellor_id,
        on_day=on_day,
        minutes=minutes,
        content=content,
        follow_up=follow_up,
        created_at=now,
        changed_at=now,
    )
    session.add(record)
    session.flush()
    return record


def listing(session: Session, school_id: uuid.UUID, limit: int = 200) -> list[CounsellingRow]:
    """The school's records, newest first, for a counsellor's page (content included: the caller
    must hold Right.COUNSEL)."""
    rows = session.execute(
        select(CounsellingRecord, CentralChild.name, CentralChild.class_name, OfficeUser.display_name)
        .join(CentralChild, CentralChild.id == CounsellingRecord.child_id)
        .join(OfficeUser, OfficeUser.id == CounsellingRecord.counsellor_id)
        .where(CounsellingRecord.school_id == school_id)
        .order_by(CounsellingRecord.on_day.desc(), CounsellingRecord.created_at.desc())
        .limit(limit)
    ).all()
    return [CounsellingRow(*row) for row in rows]


def days_of_child(session: Session, school_id: uuid.UUID, child_id: uuid.UUID) -> list[date]:
    """That a child has records, and when: all anyone but a counsellor learns."""
    return list(
        session.scalars(
            select(CounsellingRecord.on_day)
            .where(CounsellingRecord.school_id == school_id, CounsellingRecord.child_id == child_id)
            .order_by(CounsellingRecord.on_day.desc())
        )
    )


def days_of_school(session: Session, school_id: uuid.UUID, since: date) -> list[tuple[date, int]]:
    """How many sessions were held each day (no child, no counsellor): what the administrator sees."""
    rows = session.execute(
        select(CounsellingRecord.on_day, func.count())
        .where(CounsellingRecord.school_id == school_id, CounsellingRecord.on_day >= since)
        .group_by(CounsellingRecord.on_day)
        .order_by(CounsellingRecord.on_day.desc())
    )
    return [(day, count) for day, count in rows]


def monthly_counts(
    session: Session, school_ids: list[uuid.UUID], start: date, end: date
) -> dict[tuple[uuid.UUID, str], tuple[int, int]]:
    """Per school and month ("2026-11"): sessions held and children seen, anonymous."""
    if not school_ids:
        return {}
    found: dict[tuple[uuid.UUID, str], tuple[set[uuid.UUID], int]] = {}
    for school_id, child_id, on_day in session.execute(
        select(CounsellingRecord.school_id, CounsellingRecord.child_id, CounsellingRecord.on_day).where(
            CounsellingRecord.school_id.in_(school_ids),
            CounsellingRecord.on_day >= start,
            CounsellingRecord.on_day <= end,
        )
    ):
        key = (school_id, f"{on_day.year}-{on_day.month:02d}")
        children, count = found.get(key, (set(), 0))
        children.add(child_id)
        found[key] = (children, count + 1)
    return {key: (count, len(children)) for key, (children, count) in found.items()}
