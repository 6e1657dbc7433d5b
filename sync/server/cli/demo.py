"""The deterministic demo school on the server, with the very ids a demo kiosk has.

It runs the kiosk's own generator (db.demo.load_demo_data) into a throw-away in-memory kiosk database
and copies the rows across: one generator, so a demo kiosk and a demo server cannot drift apart. Staff
PIN hashes are salted, so they differ between two loads; the PIN itself (db.demo.DEMO_STAFF_PIN) is
the same, and after its first pull the kiosk holds the server's hashes.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from db.demo import DemoSummary, load_demo_data
from db.enums import GuardianType, Relation
from db.models import Base, Card, CatalogueItem, Child, Contact, Copy, Staff
from sync.server.core.student_numbers import student_key_of
from sync.server.devices.provisioning import AdminError
from sync.server.models import (
    CENTRAL_MODELS,
    CareAssessment,
    CentralChild,
    CentralContact,
    CentralRow,
    Gender,
    School,
)
from sync.server.office import schools

# Kiosk table -> the central table of the same name, parents first.
_COPIES: list[tuple[type[Base], type[CentralRow]]] = [
    (kiosk_model, CENTRAL_MODELS[kiosk_model.__tablename__])
    for kiosk_model in (Staff, Child, Contact, CatalogueItem, Copy, Card)
]


def import_demo_school(
    session: Session, school_id: uuid.UUID, now: datetime, seed: int = 2026
) -> DemoSummary:
    if session.get(School, school_id) is None:
        raise AdminError(f"no school {school_id}")
    scratch = create_engine("sqlite://")
    Base.metadata.create_all(scratch)
    with Session(scratch) as kiosk:
        summary = load_demo_data(kiosk, now, seed, pin_key=None)  # the server keeps scrypt hashes
        kiosk.flush()
        if session.get(CentralChild, kiosk.scalars(select(Child.id)).first()) is not None:
            raise AdminError(
                f"the demo with seed {seed} is already loaded on this server; pick another --seed"
            )
        for kiosk_model, central_model in _COPIES:
            columns = [c.key for c in kiosk_model.__table__.columns]
            session.add_all(
                central_model(school_id=school_id, **{name: getattr(row, name) for name in columns})
                for row in kiosk.scalars(select(kiosk_model))
            )
            session.flush()
    scratch.dispose()
    _office_fields(session, school_id, random.Random(seed))
    _classes(session, school_id)
    return summary


def _classes(session: Session, school_id: uuid.UUID) -> None:
    """The demo school's classes, as a real school enters them before its rosters: without them the
    班级 page is empty and the school's own roster export cannot be imported back."""
    have = {c.name for c in schools.classes_of(session, school_id, active_only=False)}
    wanted = session.execute(
        select(CentralChild.class_name, func.min(CentralChild.grade))
        .where(CentralChild.school_id == school_id)
        .group_by(CentralChild.class_name)
    ).all()
    for name, grade in wanted:
        if name not in have:
            schools.add_class(session, school_id, name, grade)


def _office_fields(session: Session, school_id: uuid.UUID, rng: random.Random) -> None:
    """What the office keeps and a kiosk does not: student numbers, gender, which parents work away
    (following the guardian type and the parents on the child's contacts), the care assessment."""
    children = session.scalars(
        select(CentralChild)
        .where(CentralChild.school_id == school_id)
        .order_by(CentralChild.grade, CentralChild.class_name, CentralChild.name)
    ).all()
    numbers: dict[str, int] = {}
    key = student_key_of(session)
    for child in children:
        numbers[child.class_name] = numbers.get(child.class_name, 0) + 1
        class_no = int(child.class_name.split("(")[1].split(")")[0]) if "(" in child.class_name else 1
        child.student_no = f"{2027 - child.grade}{class_no:02d}{numbers[child.class_name]:02d}"
        child.student_no_hash = key.digest(child.student_no)
        child.gender = rng.choice([Gender.MALE, Gender.FEMALE])
        relations = set(
            session.scalars(select(CentralContact.relation).where(CentralContact.child_id == child.id))
        )
        if child.guardian_type is GuardianType.ONE_PARENT:
            father_away = rng.random() < 0.75
            child.father_away, child.mother_away = father_away, not father_away
            child.home_parent_unable = rng.random() < 0.05
        elif child.guardian_type is GuardianType.SINGLE_PARENT_OR_ORPHAN:
            orphan = rng.random() < 0.3
            child.father_away = not orphan and Relation.FATHER in relations
            child.mother_away = not orphan and Relation.MOTHER in relations
            child.home_parent_unable = child.father_away != child.mother_away  # no parent at home
        else:  # grandparents or relatives look after the child: both parents work away
            child.father_away = child.mother_away = True
        child.care = rng.choices(list(CareAssessment), weights=[60, 35, 5])[0]
