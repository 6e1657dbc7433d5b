"""Checking a roster's lines against the school, writing nothing: what roster_import stages for the
preview, and checks again after the clerk has said what an unknown column is.

A line is new (a student number the school does not have), an update, unchanged, or rejected with every
reason. A number the office masked itself (G****4072, in its own export) finds its child by what is
shown and the name. The first line with a student number stands; a later line with the same number is
rejected, naming the line it repeats. A class the school does not have yet is not a reason: it is
listed in the preview with the grade its name says, to be made on confirmation (or left out, with its
lines).
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.student_numbers import StudentKey
from sync.server.models import CentralChild, SchoolClass
from sync.server.office.roster.class_names import ClassKey, find_class, key_of, same_class
from sync.server.office.roster.roster_changes import differs
from sync.server.office.roster.roster_values import first_values, read_line
from sync.server.office.sheets.staging import CheckedRow

_CHUNK = 500  # numbers per query


@dataclass(frozen=True)
class NewClass:
    name: str
    grade: int | None  # as its name says; None: the clerk picks it

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "grade": self.grade}


class _School:
    """The school as the lines are checked against it: classes, and the children the lines name."""

    def __init__(self, session: Session, school_id: uuid.UUID, digests: Iterable[str], shown: Iterable[str]):
        self.classes: dict[str, ClassKey | None] = {
            c.name: key_of(c.name)
            for c in session.scalars(
                select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.active)
            )
        }
        self.by_digest: dict[str, CentralChild] = {}
        wanted = list(set(digests))
        for start in range(0, len(wanted), _CHUNK):
            for child in session.scalars(
                select(CentralChild).where(
                    CentralChild.school_id == school_id,
                    CentralChild.student_no_hash.in_(wanted[start : start + _CHUNK]),
                )
            ):
                self.by_digest[child.student_no_hash or ""] = child
        self.by_shown: dict[tuple[str, str], list[CentralChild]] = {}
        masked = list(set(shown))
        for start in range(0, len(masked), _CHUNK):
            for child in session.scalars(
                select(CentralChild).where(
                    CentralChild.school_id == school_id,
                    CentralChild.student_no.in_(masked[start : start + _CHUNK]),
                )
            ):
                self.by_shown.setdefault((child.student_no or "", child.name), []).append(child)


def check_lines(
    session: Session,
    school_id: uuid.UUID,
    key: StudentKey,
    sheets: list[Mapping[str, Any]],
    lines: list[Mapping[str, Any]],
    *,
    class_name: str | None,
    today: date,
) -> tuple[list[CheckedRow], list[NewClass]]:
    """`sheets`: each sheet's title, class and columns (as staged); `lines`: each line's sheet, line
    number and cells."""
    read = []
    for raw_line in lines:
        sheet = sheets[raw_line["sheet"]]
        values, problems, notes = read_line(first_values(sheet["columns"], raw_line["cells"]), key, today)
        read.append((raw_line, sheet, values, problems, notes))
    school = _School(
        session,
        school_id,
        (v["student_no_hash"] for _l, _s, v, _p, _n in read if v.get("student_no_hash")),
        (v["student_no"] for _l, _s, v, _p, _n in read if v.get("student_no_masked")),
    )
    seen: dict[Any, tuple[str, int]] = {}
    new_classes: dict[str, NewClass] = {}
    checked = []
    for raw_line, sheet, values, problems, notes in read:
        _class_of(values, problems, raw_line, sheet, class_name, school, new_classes)
        identity = _identity(values)
        if identity is not None:
            if identity in seen:
                first_sheet, first_line = seen[identity]
                if len(sheets) > 1:
                    problems.append(f"student_no_repeats_sheet:{first_sheet}:{first_line}")
                else:
                    problems.append(f"student_no_repeats:{first_line}")
            else:
                seen[identity] = (sheet["title"], raw_line["line"])
        current = _existing(values, problems, school)
        if current is not None:
            values["child_id"] = str(current.id)
            if current.erased_at is not None:
                problems.append("child_erased")
        if problems:
            status = "rejected"
        elif current is None:
            status = "new"
        else:
            status = "update" if differs(session, current, values) else "unchanged"
        checked.append(
            CheckedRow(
                raw_line["line"],
                status,
                tuple(dict.fromkeys(problems)),
                values,
                sheet=raw_line["sheet"],
                cells=raw_line["cells"],
                notes=tuple(notes),
            )
        )
    return checked, list(new_classes.values())


def _identity(values: Mapping[str, Any]) -> Any:
    if values.get("student_no_hash"):
        return values["student_no_hash"]
    if values.get("student_no_masked"):
        return ("masked", values["student_no"], values.get("name"))
    return None


def _existing(values: dict[str, Any], problems: list[str], school: _School) -> CentralChild | None:
    if values.get("student_no_hash"):
        return school.by_digest.get(values["student_no_hash"])
    if values.get("student_no_masked"):
        found = school.by_shown.get((values["student_no"], values.get("name") or ""), [])
        if len(found) != 1:
            problems.append("student_no_masked_unknown" if not found else "student_no_masked_ambiguous")
            return None
        values["student_no_hash"] = found[0].student_no_hash
        return found[0]
    return None


def _class_of(
    values: dict[str, Any],
    problems: list[str],
    raw_line: Mapping[str, Any],
    sheet: Mapping[str, Any],
    chosen: str | None,
    school: _School,
    new_classes: dict[str, NewClass],
) -> None:
    """The line's class: its 班级 column (with a 年级 column before it when the 班级 cell says only
    "2班"), else the class chosen on the upload form, else the sheet's. A chosen class the line
    contradicts is a reason; a class the school lacks is offered as a new one."""
    written = _written_class(first_values(sheet["columns"], raw_line["cells"]))
    if chosen is not None and written and same_class(written, {chosen: key_of(chosen)}) is None:
        problems.append("class_mismatch")
    name = written or chosen or sheet.get("class_name")
    if not name:
        problems.append("class_missing")
        values["class_name"] = None
        return
    known = same_class(name, school.classes)
    if known is not None:
        values["class_name"], values["class_new"] = known, False
        return
    found = find_class(name)
    clean = "".join(unicodedata.normalize("NFKC", name).split())
    if len(clean) > 40:
        problems.append("class_name_invalid")
        return
    grade = found.key.grade if found is not None and 1 <= found.key.grade <= 12 else None
    new_classes.setdefault(clean, NewClass(clean, grade))
    values["class_name"], values["class_new"] = clean, True


def _written_class(raw: Mapping[str, Any]) -> str | None:
    text = "".join(str(raw.get("class_name") or "").split())
    grade = "".join(str(raw.get("grade_name") or "").split())
    if not text:
        return None
    if grade and find_class(text) is None and find_class(grade + text) is not None:
        return grade + text
    return text
