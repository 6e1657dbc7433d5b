"""Whose children a teacher sees: those paired with them today, and as 班主任 their class.

This is the care pages' whole rule of personal data: a teacher without the school-wide right to see
children (Right.SEE_CHILDREN) still sees these, and only these; any other child of the school is "not
found" to them, as another school's child would be.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.class_order import class_key
from sync.server.models import CarePair, CentralChild
from sync.server.office.fields import FieldProblem


@dataclass(frozen=True, slots=True)
class Mine:
    child: CentralChild
    own_pair: bool  # the child's own pair is with this teacher
    by_class: bool  # the teacher is the child's 班主任
    carer: bool  # the teacher is the child's 代理家长 today (own pair, or the class pair and no own pair)


def _running(today: date):  # noqa: ANN202 - a SQL condition
    return (CarePair.starts_on <= today) & or_(CarePair.ends_on.is_(None), CarePair.ends_on >= today)


def children_of(session: Session, school_id: uuid.UUID, teacher_id: uuid.UUID, today: date) -> list[Mine]:
    pairs = session.scalars(
        select(CarePair).where(
            CarePair.school_id == school_id, CarePair.teacher_id == teacher_id, _running(today)
        )
    ).all()
    own = {p.child_id for p in pairs if p.child_id is not None}
    classes = {p.class_name for p in pairs if p.class_name is not None}
    if not own and not classes:
        return []
    children = session.scalars(
        select(CentralChild).where(
            CentralChild.school_id == school_id,
            CentralChild.active.is_(True),
            or_(CentralChild.id.in_(own), CentralChild.class_name.in_(classes)),
        )
    ).all()
    paired_elsewhere = set(
        session.scalars(
            select(CarePair.child_id).where(
                CarePair.school_id == school_id,
                CarePair.child_id.in_([c.id for c in children]),
                CarePair.teacher_id != teacher_id,
                _running(today),
            )
        )
    )
    found = [
        Mine(
            child,
            child.id in own,
            child.class_name in classes,
            child.id in own or (child.class_name in classes and child.id not in paired_elsewhere),
        )
        for child in children
    ]
    # Their own children first, then the class, each in reading order.
    return sorted(
        found,
        key=lambda m: (
            not m.own_pair,
            class_key(m.child.class_name, m.child.grade),
            m.child.student_no or "",
            m.child.name,
        ),
    )


def child_of_teacher(
    session: Session, school_id: uuid.UUID, teacher_id: uuid.UUID, child_id: uuid.UUID, today: date
) -> Mine:
    """The child if the teacher may see them today; FieldProblem("not_yours") otherwise (the page
    answers it as "not found")."""
    for mine in children_of(session, school_id, teacher_id, today):
        if mine.child.id == child_id:
            return mine
    raise FieldProblem("not_yours")
