"""Pairing teachers with children (结对): by child, or by class (班主任 ↔ class), each from a day to a
day, and the children left without a 代理家长.

A child has one 代理家长 at a time (「每位留守学生落实一名代理家长」, 001:L47), so a child's own pairs
never overlap, nor do two class pairs of one class. How many children one teacher may take is the
school's setting (the seeds give 1 to 7); it counts the teacher's own pairs, not a class they hold as
班主任, whose size the class decides. A pair is ended, never deleted, once it has begun: the year's
figures count the days it ran.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.class_order import class_key
from sync.server.core.clock import now_of
from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CarePair, CentralChild, OfficeRole, OfficeUser, SchoolClass
from sync.server.office.fields import FieldProblem
from sync.server.reports.care_windows import FAR


@dataclass(frozen=True, slots=True)
class PairView:
    pair: CarePair
    teacher_name: str
    child_name: str | None
    child_class: str | None


def teachers_of(session: Session, school_id: uuid.UUID) -> list[OfficeUser]:
    """The school's active accounts, any of whom may be a 代理家长 (行政、后勤人员 too, 001:L47)."""
    return list(
        session.scalars(
            select(OfficeUser)
            .where(
                OfficeUser.school_id == school_id,
                OfficeUser.active.is_(True),
                OfficeUser.role.in_([OfficeRole.SCHOOL_STAFF, OfficeRole.SCHOOL_ADMIN]),
            )
            .order_by(OfficeUser.display_name)
        )
    )


def _overlapping(starts_on: date, ends_on: date | None):  # noqa: ANN202 - a SQL condition
    return (CarePair.starts_on <= (ends_on or FAR)) & or_(
        CarePair.ends_on.is_(None), CarePair.ends_on >= starts_on
    )


def _teacher(session: Session, school_id: uuid.UUID, teacher_id: uuid.UUID) -> OfficeUser:
    teacher = session.get(OfficeUser, teacher_id)
    if teacher is None or teacher.school_id != school_id or not teacher.active:
        raise FieldProblem("teacher_unknown")
    return teacher


def _check_days(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise FieldProblem("ends_before_start")


def pair_child(
    session: Session,
    school_id: uuid.UUID,
    settings: SchoolSettings,
    *,
    teacher_id: uuid.UUID,
    child_id: uuid.UUID,
    starts_on: date,
    ends_on: date | None = None,
) -> CarePair:
    _check_days(starts_on, ends_on)
    teacher = _teacher(session, school_id, teacher_id)
    child = session.get(CentralChild, child_id)
    if child is None or child.school_id != school_id or not child.active:
        raise FieldProblem("child_unknown")
    taken = session.scalar(
        select(func.count()).where(
            CarePair.school_id == school_id, CarePair.child_id == child_id, _overlapping(starts_on, ends_on)
        )
    )
    if taken:
        raise FieldProblem("child_already_paired")
    load = session.scalar(
        select(func.count()).where(
            CarePair.school_id == school_id,
            CarePair.teacher_id == teacher.id,
            CarePair.child_id.is_not(None),
            _overlapping(starts_on, ends_on),
        )
    )
    if (load or 0) >= settings.children_per_teacher:
        raise FieldProblem("teacher_full")
    return _add(session, school_id, teacher.id, starts_on, ends_on, child_id=child_id)


def pair_class(
    session: Session,
    school_id: uuid.UUID,
    *,
    teacher_id: uuid.UUID,
    class_name: str,
    starts_on: date,
    ends_on: date | None = None,
) -> CarePair:
    _check_days(starts_on, ends_on)
    teacher = _teacher(session, school_id, teacher_id)
    known = session.scalar(
        select(func.count()).where(
            SchoolClass.school_id == school_id, SchoolClass.name == class_name, SchoolClass.active.is_(True)
        )
    )
    if not known:
        raise FieldProblem("class_unknown")
    taken = session.scalar(
        select(func.count()).where(
            CarePair.school_id == school_id,
            CarePair.class_name == class_name,
            _overlapping(starts_on, ends_on),
        )
    )
    if taken:
        raise FieldProblem("class_already_paired")
    return _add(session, school_id, teacher.id, starts_on, ends_on, class_name=class_name)


def _add(
    session: Session,
    school_id: uuid.UUID,
    teacher_id: uuid.UUID,
    starts_on: date,
    ends_on: date | None,
    **who: object,
) -> CarePair:
    pair = CarePair(
        id=uuid.uuid4(),
        school_id=school_id,
        teacher_id=teacher_id,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now_of(session),
        **who,
    )
    session.add(pair)
    session.flush()
    return pair


def end_pair(session: Session, pair: CarePair, last_day: date) -> bool:
    """Ends the pair on `last_day`; a pair that has not begun by then is removed (it never ran).
    Returns whether it was removed."""
    if pair.starts_on > last_day:
        session.delete(pair)
        return True
    if pair.ends_on is None or pair.ends_on > last_day:
        pair.ends_on = last_day
    return False


def current_pairs(session: Session, school_id: uuid.UUID, today: date) -> list[PairView]:
    """Pairs running today or still to come, by teacher."""
    rows = session.execute(
        select(CarePair, OfficeUser.display_name, CentralChild.name, CentralChild.class_name)
        .join(OfficeUser, OfficeUser.id == CarePair.teacher_id)
        .outerjoin(CentralChild, CentralChild.id == CarePair.child_id)
        .where(CarePair.school_id == school_id, or_(CarePair.ends_on.is_(None), CarePair.ends_on >= today))
    ).all()
    views = [PairView(pair, teacher, child, klass) for pair, teacher, child, klass in rows]
    return sorted(
        views,
        key=lambda v: (
            v.teacher_name,
            v.pair.child_id is not None,
            class_key(v.pair.class_name or v.child_class or ""),
        ),
    )


def unpaired_children(session: Session, school_id: uuid.UUID, today: date) -> list[CentralChild]:
    """Active children with no 代理家长 today: no pair of their own and no class pair of their class."""
    running = (CarePair.starts_on <= today) & or_(CarePair.ends_on.is_(None), CarePair.ends_on >= today)
    own = select(CarePair.child_id).where(
        CarePair.school_id == school_id, CarePair.child_id.is_not(None), running
    )
    classes = select(CarePair.class_name).where(
        CarePair.school_id == school_id, CarePair.class_name.is_not(None), running
    )
    children = session.scalars(
        select(CentralChild).where(
            CentralChild.school_id == school_id,
            CentralChild.active.is_(True),
            CentralChild.id.not_in(own),
            CentralChild.class_name.not_in(classes),
        )
    )
    return sorted(children, key=lambda c: (class_key(c.class_name, c.grade), c.student_no or "", c.name))
