"""The roster out again, in the layout the import reads (the office's headings, one row per child), so
a school can export, correct in Excel and import back with no change: a national student number as
the office shows it (G****4072, which the import matches by what is shown and the name), a fact not
given as 未填, the guardian's relation in the school's own word. The template (roster_template) has
the same columns.
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
from sync.server.office.roster.roster_words import PLAIN_WORDS
from sync.server.office.sheets.sheet_export import sheet_csv, sheet_xlsx

NOT_GIVEN = "未填"
_FIELDS = (
    "student_no", "name", "gender", "birthday", "class_name", "guardian_type", "father_away", "mother_away",
    "home_parent_unable", "care", "father_name", "father_phone", "mother_name", "mother_phone",
    "guardian_name", "guardian_relation", "guardian_phone",
)  # fmt: skip
EXPORTED = [next(c for c in COLUMNS if c.field == name) for name in _FIELDS]
_GENDER = {Gender.MALE: "男", Gender.FEMALE: "女"}
_GUARDIAN = {
    GuardianType.GRANDPARENTS: "祖辈监护",
    GuardianType.ONE_PARENT: "父母单方监护",
    GuardianType.RELATIVES_FRIENDS: "亲朋监护",
    GuardianType.SINGLE_PARENT_OR_ORPHAN: "单亲或孤儿",
}
_CARE = {CareAssessment.GOOD: "较好", CareAssessment.FAIR: "一般", CareAssessment.POOR: "差"}
_YES_NO = {True: "是", False: "否", None: NOT_GIVEN}
# The closed columns' values, for the template's drop-down lists.
LISTS: dict[str, tuple[str, ...]] = {
    "gender": tuple(_GENDER.values()),
    "guardian_type": (*_GUARDIAN.values(), NOT_GIVEN),
    "father_away": ("是", "否", NOT_GIVEN),
    "mother_away": ("是", "否", NOT_GIVEN),
    "home_parent_unable": ("是", "否", NOT_GIVEN),
    "care": tuple(_CARE.values()),
    "guardian_relation": (
        "祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆", "伯父", "伯母", "叔叔", "婶婶",
        "姑姑", "姑父", "舅舅", "舅妈", "姨妈", "姨父", "哥哥", "姐姐", "其他亲属", "邻居", "其他",
    ),
}  # fmt: skip


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
        both_away = bool(child.father_away and child.mother_away)
        values = {
            "student_no": child.student_no or "",
            "name": child.name,
            "gender": _GENDER[child.gender] if child.gender else NOT_GIVEN,
            "birthday": child.birthday.isoformat() if child.birthday else NOT_GIVEN,
            "class_name": child.class_name,
            "guardian_type": _GUARDIAN[child.guardian_type] if child.guardian_type else NOT_GIVEN,
            "father_away": _YES_NO[child.father_away],
            "mother_away": _YES_NO[child.mother_away],
            # Asked only when one parent is away: with both away there is no parent at home.
            "home_parent_unable": ""
            if both_away and child.home_parent_unable is None
            else _YES_NO[child.home_parent_unable],
            "care": _CARE[child.care] if child.care else NOT_GIVEN,
            "father_name": father.name if father else "",
            "father_phone": father.phone if father else "",
            "mother_name": mother.name if mother else "",
            "mother_phone": mother.phone if mother else "",
            "guardian_name": guardian.name if guardian else "",
            "guardian_relation": (guardian.relation_word or PLAIN_WORDS.get(guardian.relation, ""))
            if guardian
            else "",
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
