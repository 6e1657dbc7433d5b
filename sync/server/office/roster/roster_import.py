"""Importing a class roster (花名册): read, check every row, show what would happen, and only on the
administrator's confirmation write it.

`preview` reads the file and checks each row against the school: a row is new (a student number the
school does not have), an update (one it has), unchanged, or rejected with every reason (duplicate
student number, missing name, unknown class, bad phone, a name over the length limit, …). The checked
rows wait in a staging row (sync.server.office.sheets.staging) until `confirm`, which applies the new and
changed rows in one transaction and deletes the staging row; rejected rows are never written.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import GuardianType, Relation
from sync.server.models import CareAssessment, CentralChild, CentralContact, Gender, RosterImport, SchoolClass
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster.children import ChildDetails, create_child, update_child
from sync.server.office.roster.roster_columns import ROSTER
from sync.server.office.sheets.sheet_files import Sheet, read_sheet
from sync.server.office.sheets.staging import CheckedRow, ImportRefused, stage, to_write

WHAT = "roster"
# Every field the file must have a column for; the rest are optional.
REQUIRED_FIELDS = ("student_no", "name", "guardian_type")


def preview(
    session: Session,
    school_id: uuid.UUID,
    user_id: uuid.UUID,
    filename: str,
    content: bytes,
    *,
    class_name: str | None,
    effective: date,
    today: date,
) -> RosterImport:
    """Check a file and stage it; nothing reaches the roster. `class_name` None: each row's 班级 column."""
    sheet = read_sheet(filename, content, ROSTER)
    missing = [f for f in REQUIRED_FIELDS if f not in sheet.fields]
    if class_name is None and "class_name" not in sheet.fields:
        missing.append("class_name")
    if not ({"parents_away", "father_away", "mother_away"} & sheet.fields):
        missing.append("parents_away")
    if missing:
        raise ImportRefused("missing_columns:" + ",".join(missing))
    rows = check_rows(session, school_id, sheet, class_name=class_name, today=today)
    return stage(
        session,
        what=WHAT,
        school_id=school_id,
        user_id=user_id,
        filename=filename,
        rows=rows,
        summary={
            "ignored": sheet.ignored,
            "unknown": sheet.unknown,
            "class_name": class_name,
            "effective": effective.isoformat(),
        },
    )


def check_rows(
    session: Session, school_id: uuid.UUID, sheet: Sheet, *, class_name: str | None, today: date
) -> list[CheckedRow]:
    classes = {
        c.name: c
        for c in session.scalars(
            select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.active)
        )
    }
    existing = {
        c.student_no: c
        for c in session.scalars(
            select(CentralChild).where(
                CentralChild.school_id == school_id, CentralChild.student_no.is_not(None)
            )
        )
    }
    numbers = Counter(fields.text(values.get("student_no")).upper() for _line, values in sheet.rows)
    checked = []
    for line, raw in sheet.rows:
        values, problems = _read_row(raw, today, class_name)
        number = values.get("student_no")
        if number and numbers[number] > 1:
            problems.append("student_no_duplicate")
        chosen_class = values.get("class_name")
        if chosen_class and chosen_class not in classes:
            problems.append("class_unknown")
        current = existing.get(number) if number else None
        if current is not None and current.erased_at is not None:
            problems.append("child_erased")
        if problems:
            status = "rejected"
        elif current is None:
            status = "new"
        else:
            status = "update" if _differs(session, current, values) else "unchanged"
        checked.append(CheckedRow(line, status, tuple(dict.fromkeys(problems)), values))
    return checked


def _read_row(raw: dict[str, Any], today: date, class_name: str | None) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []

    def read(name: str, reader: Any, *args: Any, **kwargs: Any) -> None:
        try:
            values[name] = reader(raw.get(name), *args, **kwargs)
        except FieldProblem as problem:
            problems.append(problem.code)

    read("student_no", fields.student_no)
    read("name", fields.person_name)
    read("gender", fields.gender)
    read("birthday", fields.birthday, today)
    read("guardian_type", fields.guardian_type)
    read("care", fields.care)
    read("home_parent_unable", fields.yes_no)
    file_class = fields.text(raw.get("class_name"))
    if class_name is not None and file_class and file_class != class_name:
        problems.append("class_mismatch")
    values["class_name"] = class_name or file_class or None
    if not values["class_name"]:
        problems.append("class_missing")
    try:
        away = fields.parents_away(raw.get("parents_away"))
        if away is None:
            away = (fields.yes_no(raw.get("father_away")), fields.yes_no(raw.get("mother_away")))
        values["father_away"], values["mother_away"] = away
    except FieldProblem as problem:
        problems.append(problem.code)
    for person in ("father", "mother", "guardian"):
        read(f"{person}_name", fields.person_name, required=False)
        read(f"{person}_phone", fields.phone)
    read("guardian_relation", fields.guardian_relation)
    return _jsonable(values), problems


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, date) else (v.value if isinstance(v, Enum) else v)
        for k, v in values.items()
    }


def _details(values: dict[str, Any]) -> ChildDetails:
    return ChildDetails(
        name=values["name"],
        student_no=values["student_no"],
        class_name=values["class_name"],
        gender=Gender(values["gender"]) if values.get("gender") else None,
        birthday=date.fromisoformat(values["birthday"]) if values.get("birthday") else None,
        guardian_type=GuardianType(values["guardian_type"]),
        father_away=bool(values["father_away"]),
        mother_away=bool(values["mother_away"]),
        home_parent_unable=bool(values.get("home_parent_unable")),
        care=CareAssessment(values["care"]) if values.get("care") else None,
    )


def _wanted_contacts(values: dict[str, Any]) -> list[tuple[Relation, str, str]]:
    found = []
    for person, relation in (("father", Relation.FATHER), ("mother", Relation.MOTHER)):
        if values.get(f"{person}_name") or values.get(f"{person}_phone"):
            found.append((relation, values.get(f"{person}_name") or "", values.get(f"{person}_phone") or ""))
    if values.get("guardian_name") or values.get("guardian_phone"):
        relation = Relation(values.get("guardian_relation") or Relation.TEMPORARY_GUARDIAN)
        found.append((relation, values.get("guardian_name") or "", values.get("guardian_phone") or ""))
    return found


def _differs(session: Session, child: CentralChild, values: dict[str, Any]) -> bool:
    details = _details(values)
    if any(getattr(child, name) != getattr(details, name) for name in ChildDetails.__slots__):
        return True
    contacts = _contacts_of(session, child)
    for relation, name, phone in _wanted_contacts(values):
        contact = _matching(contacts, relation)
        if contact is None or (contact.name, contact.phone) != (name or contact.name, phone or contact.phone):
            return True
    return False


def _contacts_of(session: Session, child: CentralChild) -> list[CentralContact]:
    return list(session.scalars(select(CentralContact).where(CentralContact.child_id == child.id)))


def _matching(contacts: list[CentralContact], relation: Relation) -> CentralContact | None:
    """The contact a roster line speaks of: the father, the mother, or the (first) guardian."""
    parents = (Relation.FATHER, Relation.MOTHER)
    for contact in contacts:
        if contact.relation == relation or (relation not in parents and contact.relation not in parents):
            return contact
    return None


def confirm(session: Session, staged: RosterImport) -> dict[str, int]:
    """Write the staged new and changed rows, all or nothing, and drop the staging row."""
    effective = date.fromisoformat(staged.summary["effective"])
    done: Counter[str] = Counter()
    for row in to_write(staged):
        values = row["values"]
        details = _details(values)
        child = session.scalar(
            select(CentralChild).where(
                CentralChild.school_id == staged.school_id, CentralChild.student_no == values["student_no"]
            )
        )
        if child is None:
            child = create_child(session, staged.school_id, details, effective)
            done["new"] += 1
        else:
            update_child(session, child, details, effective)
            if not child.active:
                child.active, child.left_on = True, None
            done["update"] += 1
        contacts = _contacts_of(session, child)
        for relation, name, phone in _wanted_contacts(values):
            contact = _matching(contacts, relation)
            if contact is None:
                if not (name and phone):
                    continue  # a person the child may call needs both a name and a number
                contact = CentralContact(
                    id=uuid.uuid4(), school_id=child.school_id, child_id=child.id, allowed_to_call=True
                )
                session.add(contact)
                contacts.append(contact)
            contact.relation = relation
            contact.name = name or contact.name
            contact.phone = phone or contact.phone
    session.delete(staged)
    session.flush()
    return dict(done)
