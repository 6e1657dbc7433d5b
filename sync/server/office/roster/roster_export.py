"""A class's roster out again, in the layout the import reads (the same headings, one row per child),
so a school can export, correct in Excel and import back. Also the empty template to start from.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.class_order import class_key
from db.enums import GuardianType, Relation
from sync.server.models import CareAssessment, CentralChild, CentralContact, Gender
from sync.server.office.roster.roster_columns import COLUMNS
from sync.server.office.sheets.sheet_export import sheet_csv, sheet_xlsx

# The single 外出情况 column stands for the two yes/no columns on the way out.
EXPORTED = [c for c in COLUMNS if c.field not in ("father_away", "mother_away")]
_GENDER = {Gender.MALE: "男", Gender.FEMALE: "女"}
_GUARDIAN = {
    GuardianType.GRANDPARENTS: "祖辈监护",
    GuardianType.ONE_PARENT: "父母单方监护",
    GuardianType.RELATIVES_FRIENDS: "亲朋监护",
    GuardianType.SINGLE_PARENT_OR_ORPHAN: "单亲或孤儿",
}
_AWAY = {
    (True, True): "父母均外出",
    (True, False): "父亲外出",
    (False, True): "母亲外出",
    (False, False): "均未外出",
}
_CARE = {CareAssessment.GOOD: "较好", CareAssessment.FAIR: "一般", CareAssessment.POOR: "差"}
_RELATION = {
    Relation.TEMPORARY_GUARDIAN: "临时监护人",
    Relation.GRANDPARENT: "祖父母",
    Relation.OTHER_RELATIVE: "亲戚",
}


def roster_rows(session: Session, school_id: uuid.UUID, class_name: str | None) -> list[list[str]]:
    query = select(CentralChild).where(
        CentralChild.school_id == school_id, CentralChild.active.is_(True), CentralChild.erased_at.is_(None)
    )
    if class_name:
        query = query.where(CentralChild.class_name == class_name)
    children = sorted(  # classes as people read them (db.class_order), then by student number
        session.scalars(query),
        key=lambda child: (class_key(child.class_name, child.grade), child.student_no or "", child.name),
    )
    rows = []
    for child in children:
        contacts = list(session.scalars(select(CentralContact).where(CentralContact.child_id == child.id)))
        father = next((c for c in contacts if c.relation is Relation.FATHER), None)
        mother = next((c for c in contacts if c.relation is Relation.MOTHER), None)
        guardian = next((c for c in contacts if c.relation not in (Relation.FATHER, Relation.MOTHER)), None)
        values = {
            "student_no": child.student_no or "",
            "name": child.name,
            "gender": _GENDER.get(child.gender, "") if child.gender else "",
            "birthday": child.birthday.isoformat() if child.birthday else "",
            "class_name": child.class_name,
            "guardian_type": _GUARDIAN[child.guardian_type],
            "parents_away": _AWAY[(child.father_away, child.mother_away)],
            "home_parent_unable": "是" if child.home_parent_unable else "否",
            "care": _CARE.get(child.care, "") if child.care else "",
            "father_name": father.name if father else "",
            "father_phone": father.phone if father else "",
            "mother_name": mother.name if mother else "",
            "mother_phone": mother.phone if mother else "",
            "guardian_name": guardian.name if guardian else "",
            "guardian_relation": _RELATION.get(guardian.relation, "") if guardian else "",
            "guardian_phone": guardian.phone if guardian else "",
        }
        rows.append([values[c.field] for c in EXPORTED])
    return rows


def roster_xlsx(title: str, rows: Sequence[Sequence[str]]) -> bytes:
    headings = [c.heading for c in EXPORTED]
    widths = [14 if "phone" in c.field else 11 for c in EXPORTED]
    return sheet_xlsx("花名册", title, headings, rows, widths)


def roster_csv(rows: Sequence[Sequence[str]]) -> bytes:
    return sheet_csv([c.heading for c in EXPORTED], rows)
