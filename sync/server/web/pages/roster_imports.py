"""Importing a roster in the office: upload, preview, the columns nobody could recognise, confirm or
cancel.

The uploaded file is read with no transaction open, in a worker thread: reading a big file takes
seconds, and nothing — no kiosk's push, no page — waits for it (sync.server.office.sheets.sheet_grids
bounds what it may cost). The lines are then checked in a read and staged with one short write. The
preview is a page of its own address, so it survives a reload and can be confirmed later (within
the staging lifetime). Only the school's administrator imports: names and phone numbers.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.server.models import RosterImport
from sync.server.office import schools
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import column_choices, roster_import
from sync.server.office.roster.roster_reading import read_roster
from sync.server.office.sheets import staging
from sync.server.office.sheets.sheet_grids import SheetFileError
from sync.server.office.sheets.staging import ImportRefused
from sync.server.web.context import Manager, ManagerForm, SchoolViewer
from sync.server.web.forms import day, value
from sync.server.web.imports import UploadRefused, staged_import, uploaded_file
from sync.server.web.pages.children import today_of
from sync.server.web.render import page

router = APIRouter()


def _roster(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}/roster"


def _back(current: SchoolViewer, code: str) -> Response:
    return RedirectResponse(f"{_roster(current)}?problem={code}", status_code=303)


def _staged(current: SchoolViewer, session: Session, import_id: uuid.UUID) -> RosterImport:
    return staged_import(current, session, import_id, roster_import.WHAT)


@router.post("/s/{school_id}/roster/preview")
async def upload_roster(current: ManagerForm) -> Response:
    form = current.fields
    try:
        filename, content = await uploaded_file(form)
    except UploadRefused as problem:
        return _back(current, problem.code)
    class_name = value(form, "class_name") or None
    try:
        effective = day(form, "effective", today_of(current))
    except FieldProblem:
        return _back(current, "date_invalid")
    return await run_in_threadpool(_stage, current, filename, content, class_name, effective)


def _stage(
    current: SchoolViewer, filename: str, content: bytes, class_name: str | None, effective: date
) -> Response:
    key = current.database.student_key
    with current.reading() as session:
        if class_name is not None and class_name not in {
            c.name for c in schools.classes_of(session, current.school.id)
        }:
            return _back(current, "class_unknown")
        choices = column_choices.remembered(session, current.school.id, roster_import.WHAT)
    try:
        roster = read_roster(filename, content, key, choices)  # no transaction open: see the docstring
        with current.reading() as session:
            rows, summary = roster_import.check_file(
                session,
                current.school.id,
                key,
                roster,
                class_name=class_name,
                effective=effective,
                today=today_of(current),
            )
    except (SheetFileError, ImportRefused) as problem:
        return _back(current, problem.code)
    with current.writing() as session:
        staged = staging.stage(
            session,
            what=roster_import.WHAT,
            school_id=current.school.id,
            user_id=current.user.id,
            filename=filename,
            rows=rows,
            summary=summary,
        )
        current.audit(
            "roster_previewed",
            session=session,
            school_id=current.school.id,
            subject=f"import:{staged.id}",
            rows=len(staged.rows),
        )
    return RedirectResponse(f"{_roster(current)}/imports/{staged.id}", status_code=303)


@router.get("/s/{school_id}/roster/imports/{import_id}")
def preview_page(import_id: uuid.UUID, current: Manager, problem: str = "") -> Response:
    with current.reading() as session:
        staged = _staged(current, session, import_id)
    return page(
        current,
        "roster_preview.html",
        staged=staged,
        choosable=roster_import.choosable_fields(),
        problem=problem if problem in ("grade_missing", "grade_invalid", "preview_stale") else "",
    )


@router.post("/s/{school_id}/roster/imports/{import_id}/columns")
def choose_columns(import_id: uuid.UUID, current: ManagerForm) -> Response:
    """The clerk says what each unknown column is: the lines are checked again, and the school keeps
    the answers for its next file."""
    form = current.fields
    allowed = set(roster_import.choosable_fields())
    with current.reading() as session:
        staged = _staged(current, session, import_id)
        asked = list(staged.summary.get("asked", []))
        answers = {}
        for index, heading in enumerate(asked):
            chosen = value(form, f"map_{index}")
            answers[heading] = chosen if chosen in allowed else ""
        try:
            rows, summary = roster_import.recheck(
                session, staged, current.database.student_key, answers, today_of(current)
            )
        except ImportRefused as problem:
            return _back(current, problem.code)
    with current.writing() as session:
        staged = _staged(current, session, import_id)
        staging.restage(staged, rows, summary)
        column_choices.remember(session, current.school.id, roster_import.WHAT, answers)
        current.audit(
            "roster_columns_chosen",
            session=session,
            school_id=current.school.id,
            subject=f"import:{import_id}",
            columns=len(answers),
        )
    return RedirectResponse(f"{_roster(current)}/imports/{import_id}", status_code=303)


@router.post("/s/{school_id}/roster/imports/{import_id}/confirm")
def confirm_import(import_id: uuid.UUID, current: ManagerForm) -> Response:
    form = current.fields
    ticked = set(form.getlist("new_class"))
    try:
        with current.writing() as session:
            staged = _staged(current, session, import_id)
            make = {}
            for index, offered in enumerate(staged.summary.get("new_classes", [])):
                if offered["name"] in ticked:
                    grade = value(form, f"grade_{index}") or str(offered.get("grade") or "")
                    if not grade.isdigit():
                        raise FieldProblem("grade_missing")
                    make[offered["name"]] = int(grade)
            done, made = roster_import.confirm(session, staged, make)
            for klass in made:
                current.audit(
                    "class_added", session=session, school_id=current.school.id, subject=f"class:{klass.id}"
                )
            current.audit(
                "roster_imported",
                session=session,
                school_id=current.school.id,
                subject=f"import:{import_id}",
                **done,
            )
    except FieldProblem as problem:
        code = problem.code if problem.code in ("grade_missing", "grade_invalid") else "preview_stale"
        return RedirectResponse(f"{_roster(current)}/imports/{import_id}?problem={code}", status_code=303)
    summary = f"{done.get('new', 0)}-{done.get('update', 0)}-{done.get('left_out', 0)}-{len(made)}"
    return RedirectResponse(f"{_roster(current)}?done={summary}", status_code=303)


@router.post("/s/{school_id}/roster/imports/{import_id}/cancel")
def cancel_import(import_id: uuid.UUID, current: ManagerForm) -> Response:
    with current.writing() as session:
        session.delete(_staged(current, session, import_id))
        current.audit(
            "roster_cancelled",
            session=session,
            school_id=current.school.id,
            subject=f"import:{import_id}",
        )
    return RedirectResponse(_roster(current), status_code=303)
