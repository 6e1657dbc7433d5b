"""Importing a roster (花名册) as the school keeps it: read, check every line, show what would happen,
ask only about columns nobody could recognise, and write only on the clerk's confirmation.

The file is read (roster_reading) before any transaction begins, so a big or hostile file holds no
lock. The lines are checked in a read (roster_check) and staged with a short write (staging): the
staged cells let the preview check the lines again after the clerk has said what an unknown column
is — an answer the school keeps for its next file (column_choices). `confirm` makes the new classes
the clerk left ticked and writes the new and changed lines, all or nothing; lines of a class left
unticked are left out and counted.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.student_numbers import StudentKey
from sync.server.models import CentralChild, RosterImport, SchoolClass
from sync.server.office import schools
from sync.server.office.roster.children import create_child, update_child
from sync.server.office.roster.roster_changes import details_of, write_contacts
from sync.server.office.roster.roster_check import NewClass, check_lines
from sync.server.office.roster.roster_columns import CHOOSABLE
from sync.server.office.roster.roster_reading import CHOSEN, NEVER, NOT_USED, UNKNOWN, RosterFile
from sync.server.office.sheets.staging import CheckedRow, ImportRefused, staged_rows

WHAT = "roster"
REQUIRED_FIELDS = ("student_no", "name")


def check_file(
    session: Session,
    school_id: uuid.UUID,
    key: StudentKey,
    roster: RosterFile,
    *,
    class_name: str | None,
    effective: date,
    today: date,
) -> tuple[list[CheckedRow], dict[str, Any]]:
    """The checked lines and the preview's summary, reading only; `stage` keeps them."""
    sheets = [
        {"title": s.title, "class_name": s.class_name, "columns": [c.as_json() for c in s.columns]}
        for s in roster.sheets
    ]
    lines = [
        {"sheet": index, "line": line, "cells": cells}
        for index, sheet in enumerate(roster.sheets)
        for line, cells in sheet.rows
    ]
    summary = {"sheets": sheets, "left_aside": roster.left_aside, "class_name": class_name}
    summary["effective"] = effective.isoformat()
    _require_columns(sheets)
    checked, new_classes = check_lines(
        session, school_id, key, sheets, lines, class_name=class_name, today=today
    )
    return checked, {**summary, **_column_summary(sheets), "new_classes": _classes(new_classes, checked)}


def recheck(
    session: Session, staged: RosterImport, key: StudentKey, answers: Mapping[str, str], today: date
) -> tuple[list[CheckedRow], dict[str, Any]]:
    """The staged lines checked again with the clerk's `answers` (heading -> field, "" = not
    imported) for the unknown columns."""
    sheets = [dict(sheet, columns=[dict(c) for c in sheet["columns"]]) for sheet in staged.summary["sheets"]]
    dropped: dict[int, set[str]] = {}
    for index, sheet in enumerate(sheets):
        for column in sheet["columns"]:
            if column["kind"] == UNKNOWN and column["heading"] in answers:
                chosen = answers[column["heading"]]
                column["kind"], column["field"] = CHOSEN, chosen or None
                if not chosen:
                    dropped.setdefault(index, set()).add(str(column["position"]))
    lines = [
        {
            "sheet": row["sheet"],
            "line": row["line"],
            "cells": {p: v for p, v in row["cells"].items() if p not in dropped.get(row["sheet"], set())},
        }
        for row in staged_rows(staged)
    ]
    _require_columns(sheets)
    checked, new_classes = check_lines(
        session,
        staged.school_id,
        key,
        sheets,
        lines,
        class_name=staged.summary.get("class_name"),
        today=today,
    )
    summary = {k: v for k, v in staged.summary.items() if k not in ("counts", "what")}
    return checked, {
        **summary,
        "sheets": sheets,
        **_column_summary(sheets),
        "new_classes": _classes(new_classes, checked),
    }


def _require_columns(sheets: list[dict[str, Any]]) -> None:
    present = {c["field"] for sheet in sheets for c in sheet["columns"] if c["field"]}
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    asking = any(c["kind"] == UNKNOWN for sheet in sheets for c in sheet["columns"])
    if missing and not asking:
        raise ImportRefused("missing_columns:" + ",".join(missing))


def _column_summary(sheets: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The headings the preview names: never kept, not used (or not imported, as the clerk said),
    and still unknown — asked about once each, however many sheets repeat them."""
    found: dict[str, list[str]] = {"ignored": [], "unknown": [], "asked": []}
    for sheet in sheets:
        for column in sheet["columns"]:
            heading, kind = column["heading"], column["kind"]
            into = {NEVER: "ignored", NOT_USED: "unknown", UNKNOWN: "asked"}.get(kind)
            if kind == CHOSEN and not column["field"]:
                into = "unknown"
            if into is not None and heading not in found[into]:
                found[into].append(heading)
    return found


def _classes(new_classes: list[NewClass], checked: list[CheckedRow]) -> list[dict[str, Any]]:
    lines = Counter(row.values.get("class_name") for row in checked if row.values.get("class_new"))
    return [{**c.as_json(), "lines": lines.get(c.name, 0)} for c in new_classes]


def choosable_fields() -> tuple[str, ...]:
    return CHOOSABLE


def confirm(
    session: Session, staged: RosterImport, make_classes: Mapping[str, int]
) -> tuple[dict[str, int], list[SchoolClass]]:
    """Make the classes in `make_classes` (name -> grade) and write the staged new and changed lines
    of classes that then exist, all or nothing; drops the staging row. Returns the counts (new,
    update, left_out) and the classes made."""
    effective = date.fromisoformat(staged.summary["effective"])
    have = {c.name for c in schools.classes_of(session, staged.school_id)}
    made = [
        schools.add_class(session, staged.school_id, name, grade)
        for name, grade in make_classes.items()
        if name not in have  # made meanwhile, by hand or by another import
    ]
    classes = have | {c.name for c in made}
    done: Counter[str] = Counter()
    for row in staged_rows(staged):
        if row["status"] not in ("new", "update"):
            continue
        values = row["values"]
        if values["class_name"] not in classes:
            done["left_out"] += 1
            continue
        details = details_of(values)
        child = _child(session, staged.school_id, values)
        if child is None:
            child = create_child(session, staged.school_id, details, effective)
            done["new"] += 1
        else:
            update_child(session, child, details, effective)
            if not child.active:
                child.active, child.left_on = True, None
            done["update"] += 1
        write_contacts(session, child, values)
    session.delete(staged)
    session.flush()
    return dict(done), made


def _child(session: Session, school_id: uuid.UUID, values: Mapping[str, Any]) -> CentralChild | None:
    if values.get("child_id"):
        return session.get(CentralChild, uuid.UUID(values["child_id"]))
    if not values.get("student_no_hash"):
        return None
    return session.scalar(
        select(CentralChild).where(
            CentralChild.school_id == school_id, CentralChild.student_no_hash == values["student_no_hash"]
        )
    )
