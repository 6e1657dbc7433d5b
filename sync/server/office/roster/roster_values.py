"""One roster line read into the child's clean values, with every problem and note, touching nothing.

The cells arrive as roster_reading left them (a number with an ID number inside already a hash and
what the office shows of it). A fact the line does not give stays None, shown as 未填; the guardian
type, when no column gives it, is read from who the guardian is, and the line says so (a note, not a
problem). The values are JSON, as the staging row keeps them: dates as ISO text, enums as their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from sync.server.core.student_numbers import StudentKey, masked_parts, shown
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import roster_words as words

PEOPLE = ("father", "mother", "guardian")


def first_values(columns: list[Mapping[str, Any]], cells: Mapping[str, Any]) -> dict[str, Any]:
    """Each field's cell: the first column read as that field whose cell holds something."""
    found: dict[str, Any] = {}
    for column in sorted(columns, key=lambda c: c["position"]):
        name = column.get("field")
        value = cells.get(str(column["position"]))
        if name and name not in found and value not in (None, ""):
            found[name] = value
    return found


class _Line:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.problems: list[str] = []
        self.notes: list[str] = []

    def read(self, name: str, reader: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            found = reader(*args, **kwargs)
        except FieldProblem as problem:
            self.problems.append(problem.code)
            return None
        self.values[name] = found.value if isinstance(found, Enum) else found
        return found


def read_line(
    raw: Mapping[str, Any], key: StudentKey, today: date
) -> tuple[dict[str, Any], list[str], list[str]]:
    """(values, problems, notes) of one line; `raw` holds its cells by field."""
    line = _Line()
    _student_number(line, raw.get("student_no"), key)
    line.read("name", fields.person_name, raw.get("name"))
    line.read("gender", _unknown_or, fields.gender, raw.get("gender"))
    birthday = line.read("birthday", _unknown_or, fields.birthday, raw.get("birthday"), today)
    line.values["birthday"] = birthday.isoformat() if isinstance(birthday, date) else None
    _away(line, raw)
    line.read("home_parent_unable", words.yes_no, raw.get("home_parent_unable"))
    line.read("care", _unknown_or, fields.care, raw.get("care"))
    for person in PEOPLE:
        line.read(f"{person}_name", fields.person_name, raw.get(f"{person}_name"), required=False)
        line.read(f"{person}_phone", fields.phone, raw.get(f"{person}_phone"))
    relation = line.read("guardian_relation", words.relation, raw.get("guardian_relation"))
    line.values["guardian_relation"] = relation[0].value if relation else None
    line.values["guardian_word"] = relation[1] if relation else None
    kind = line.read("guardian_type", words.guardian_type, raw.get("guardian_type"))
    if kind is None and "guardian_type" in line.values:
        inferred = words.guardian_type_from(
            relation[0] if relation else None, line.values.get("father_away"), line.values.get("mother_away")
        )
        if inferred is not None:
            line.values["guardian_type"] = inferred.value
            line.notes.append("guardian_type_inferred")
    return line.values, line.problems, line.notes


def _unknown_or(reader: Any, value: Any, *args: Any) -> Any:
    return None if words.is_unknown(value) else reader(value, *args)


def _student_number(line: _Line, value: Any, key: StudentKey) -> None:
    """A number as roster_reading left it: a hash and what is shown (an ID number was inside), the
    office's own masked form (G****4072, from its export), or a school's own short number."""
    if isinstance(value, Mapping):
        line.values.update(
            student_no=value["shown"], student_no_hash=value["digest"], student_no_masked=False
        )
        return
    text = fields.text(value).replace(" ", "")
    if masked_parts(text) is not None:
        line.values.update(student_no=text.upper(), student_no_hash=None, student_no_masked=True)
        return
    try:
        number = fields.student_no(value)
    except FieldProblem as problem:
        line.problems.append(problem.code)
        return
    line.values.update(student_no=shown(number), student_no_hash=key.digest(number), student_no_masked=False)


def _away(line: _Line, raw: Mapping[str, Any]) -> None:
    """Which parent works away: 外出情况 / 留守类型 in one column, else one yes/no column per parent;
    each parent unknown when nothing says."""
    try:
        both = words.parents_away(raw.get("parents_away"))
        father = words.yes_no(raw.get("father_away"))
        mother = words.yes_no(raw.get("mother_away"))
    except FieldProblem as problem:
        line.problems.append(problem.code)
        line.values["father_away"] = line.values["mother_away"] = None
        return
    if both is not None:
        father, mother = both
    line.values["father_away"], line.values["mother_away"] = father, mother
