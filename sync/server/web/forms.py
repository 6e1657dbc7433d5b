"""Reading the office's forms into checked values, with every problem named by its field, so a page
can show the form again with the mistakes marked and everything else as typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from db.enums import GuardianType
from sync.server.models import CareAssessment
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster.children import ChildDetails


@dataclass
class Problems:
    by_field: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, reader: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return reader(*args, **kwargs)
        except FieldProblem as problem:
            self.by_field[name] = problem.code
            return None

    def __bool__(self) -> bool:
        return bool(self.by_field)


def value(form: FormData, name: str) -> str:
    raw = form.get(name)
    return raw if isinstance(raw, str) else ""


def child_details(form: FormData, today: date) -> tuple[ChildDetails | None, Problems]:
    """The form's details; the student number as typed (children.with_typed_number turns it into
    what is kept, with the session's key). A fact left at 未填 is None."""
    problems = Problems()
    name = problems.check("name", fields.person_name, value(form, "name"))
    number = fields.text(value(form, "student_no")).replace(" ", "") or None
    gender = problems.check("gender", fields.gender, value(form, "gender"))
    birthday = problems.check("birthday", fields.birthday, value(form, "birthday"), today)
    class_name = fields.text(value(form, "class_name"))
    if not class_name:
        problems.by_field["class_name"] = "class_missing"
    guardian = value(form, "guardian_type")
    if guardian and guardian not in GuardianType.__members__.values():
        problems.by_field["guardian_type"] = "guardian_invalid"
    care_text = value(form, "care")
    if care_text and care_text not in CareAssessment.__members__.values():
        problems.by_field["care"] = "care_invalid"
    if problems:
        return None, problems
    return (
        ChildDetails(
            name=name,
            student_no=number,
            student_no_hash=None,
            class_name=class_name,
            gender=gender,
            birthday=birthday,
            guardian_type=GuardianType(guardian) if guardian else None,
            father_away=yes_no_unknown(form, "father_away"),
            mother_away=yes_no_unknown(form, "mother_away"),
            home_parent_unable=yes_no_unknown(form, "home_parent_unable"),
            care=CareAssessment(care_text) if care_text else None,
        ),
        problems,
    )


def yes_no_unknown(form: FormData, name: str) -> bool | None:
    """A 是 / 否 / 未填 choice: "yes", "no", or anything else for unknown."""
    return {"yes": True, "on": True, "no": False}.get(value(form, name))


def day(form: FormData, name: str, default: date) -> date:
    text = value(form, name)
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FieldProblem("date_invalid") from exc
