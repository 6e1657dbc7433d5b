"""Counties, schools, rooms and classes: the frame the roster and the kiosks hang in."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.class_order import class_key
from sync.server.core.clock import now_of
from sync.server.models import CentralChild, County, School, SchoolClass
from sync.server.office import fields
from sync.server.office.fields import FieldProblem

MAX_GRADE = 12


def create_county(session: Session, name: str) -> County:
    county = County(id=uuid.uuid4(), name=fields.text(name)[:80], created_at=now_of(session))
    session.add(county)
    session.flush()
    return county


def join_county(session: Session, school: School, county_id: uuid.UUID | None) -> None:
    if county_id is not None and session.get(County, county_id) is None:
        raise FieldProblem("county_unknown")
    school.county_id = county_id


def classes_of(session: Session, school_id: uuid.UUID, *, active_only: bool = True) -> list[SchoolClass]:
    query = select(SchoolClass).where(SchoolClass.school_id == school_id)
    if active_only:
        query = query.where(SchoolClass.active.is_(True))
    return sorted(session.scalars(query), key=lambda klass: class_key(klass.name, klass.grade))


def add_class(session: Session, school_id: uuid.UUID, name: str, grade: int) -> SchoolClass:
    clean = fields.text(name)
    if not clean or len(clean) > 40:
        raise FieldProblem("class_name_invalid")
    if not 1 <= grade <= MAX_GRADE:
        raise FieldProblem("grade_invalid")
    existing = session.scalar(
        select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.name == clean)
    )
    if existing is not None:
        if existing.active:
            raise FieldProblem("class_exists")
        existing.active, existing.grade = True, grade
        return existing
    klass = SchoolClass(id=uuid.uuid4(), school_id=school_id, name=clean, grade=grade, active=True)
    session.add(klass)
    session.flush()
    return klass


def retire_class(session: Session, school_id: uuid.UUID, class_id: uuid.UUID) -> SchoolClass:
    """A class that no longer exists (graduated) stops being offered; its children must be moved or
    have left first, so no child is left in a class nobody can choose."""
    klass = session.get(SchoolClass, class_id)
    if klass is None or klass.school_id != school_id:
        raise FieldProblem("class_unknown")
    still_in = session.scalar(
        select(func.count()).where(
            CentralChild.school_id == school_id,
            CentralChild.class_name == klass.name,
            CentralChild.active.is_(True),
        )
    )
    if still_in:
        raise FieldProblem("class_not_empty")
    klass.active = False
    return klass


def class_sizes(session: Session, school_id: uuid.UUID) -> dict[str, int]:
    return dict(
        session.execute(
            select(CentralChild.class_name, func.count())
            .where(CentralChild.school_id == school_id, CentralChild.active.is_(True))
            .group_by(CentralChild.class_name)
        ).all()
    )
