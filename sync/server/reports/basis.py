"""What every report of one school and period starts from: the school's settings, the period's
bounds, the moment "as of", and the children on the roster then with the class they were in.

On the roster on day D: joined on or before D (or joined before records began) and not left on or
before D. In a period: on the roster on at least one of its days. So the roster at the end of a
period is the roster at its start plus those who joined minus those who left in between, and the
reports can show that half-semester update as the seeds describe it.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from db.class_order import ClassKey, class_key
from db.enums import GuardianType
from sync.server.core.school_settings import SchoolSettings, settings_of
from sync.server.i18n import translate
from sync.server.models import CareAssessment, CentralChild, ClassPlacement, Gender, School, SchoolClass
from sync.server.reports.period import Period


@dataclass(frozen=True, slots=True)
class RosterChild:
    id: uuid.UUID
    name: str
    student_no: str | None
    class_name: str
    grade: int
    guardian_type: GuardianType | None  # None, and the facts below: 未填 on the roster
    gender: Gender | None
    birthday: date | None
    father_away: bool | None
    mother_away: bool | None
    home_parent_unable: bool | None
    care: CareAssessment | None
    joined_on: date | None
    left_on: date | None

    def on_roster(self, day: date) -> bool:
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or self.left_on > day
        )

    def in_period(self, period: Period) -> bool:
        return (self.joined_on is None or self.joined_on <= period.end) and (
            self.left_on is None or self.left_on > period.start
        )


@dataclass
class Basis:
    session: Session
    school: School
    settings: SchoolSettings
    period: Period
    now: datetime
    locale: str

    def t(self, key: str, **values: Any) -> str:
        return translate(self.locale, key, **values)

    @property
    def start(self) -> datetime:
        return self.period.bounds(self.settings)[0]

    @property
    def end(self) -> datetime:
        return self.period.bounds(self.settings)[1]

    @property
    def as_of(self) -> datetime:
        return self.period.as_of(self.settings, self.now)

    @property
    def as_of_day(self) -> date:
        return self.period.as_of_day(self.settings, self.now)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.settings.zone)

    def during(self, moment: ColumnElement[datetime]) -> ColumnElement[bool]:
        """The condition that a record's moment falls in the period: from its start, before its end."""
        return and_(moment >= self.start, moment < self.end)

    def children(self) -> list[RosterChild]:
        """Children on the roster at some day of the period, each in the class they were in at the
        period's end (or on their last day, if they left during it)."""
        return roster_in(self.session, self.school.id, self.period)

    def class_order(self) -> Callable[[str], ClassKey]:
        """Classes sort as people read them (db.class_order): by stage, grade and number; a class
        whose name says no grade sorts by the grade the school gave it."""
        grades = dict(
            self.session.execute(
                select(SchoolClass.name, SchoolClass.grade).where(SchoolClass.school_id == self.school.id)
            ).all()
        )
        return lambda name: class_key(name, grades.get(name))


def basis_for(session: Session, school: School, period: Period, now: datetime, locale: str) -> Basis:
    return Basis(session, school, settings_of(school), period, now, locale)


def roster_in(session: Session, school_id: uuid.UUID, period: Period) -> list[RosterChild]:
    rows = session.scalars(
        select(CentralChild).where(
            CentralChild.school_id == school_id,
            or_(CentralChild.joined_on.is_(None), CentralChild.joined_on <= period.end),
            or_(CentralChild.left_on.is_(None), CentralChild.left_on > period.start),
        )
    ).all()
    placements = _placements(session, school_id)
    found = []
    for child in rows:
        day = period.end if child.left_on is None else min(period.end, child.left_on - timedelta(days=1))
        class_name, grade = _class_on(placements.get(child.id), day) or (child.class_name, child.grade)
        found.append(
            RosterChild(
                child.id,
                child.name,
                child.student_no,
                class_name,
                grade,
                child.guardian_type,
                child.gender,
                child.birthday,
                child.father_away,
                child.mother_away,
                child.home_parent_unable,
                child.care,
                child.joined_on,
                child.left_on,
            )
        )
    return found


def _placements(session: Session, school_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[date, str, int]]]:
    by_child: dict[uuid.UUID, list[tuple[date, str, int]]] = defaultdict(list)
    for child_id, valid_from, class_name, grade in session.execute(
        select(
            ClassPlacement.child_id,
            ClassPlacement.valid_from,
            ClassPlacement.class_name,
            ClassPlacement.grade,
        )
        .where(ClassPlacement.school_id == school_id)
        .order_by(ClassPlacement.valid_from)
    ):
        by_child[child_id].append((valid_from, class_name, grade))
    return by_child


def _class_on(placements: list[tuple[date, str, int]] | None, day: date) -> tuple[str, int] | None:
    """The class of the latest placement on or before `day`; None before the first (or with none):
    then the child's current class stands in, the best that is known."""
    if not placements:
        return None
    index = bisect_right([p[0] for p in placements], day) - 1
    if index < 0:
        return None
    return placements[index][1], placements[index][2]


def age_on(birthday: date | None, day: date) -> int | None:
    if birthday is None:
        return None
    return day.year - birthday.year - ((day.month, day.day) < (birthday.month, birthday.day))
