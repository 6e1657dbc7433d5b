"""The roster (花名册): classes, import from the school's spreadsheets with a preview of every row
before anything is written, export in the same layout, and the empty template.

Only the school's administrator imports and exports (names and phone numbers); the preview is a page
of its own address, so it survives a reload and can be confirmed or cancelled later.
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
from sync.server.office.roster import roster_export, roster_import
from sync.server.office.sheets.sheet_files import SheetFileError
from sync.server.office.sheets.staging import ImportRefused
from sync.server.web.context import Manager, ManagerForm, PersonalExporter, SchoolViewer
from sync.server.web.forms import day, value
from sync.server.web.imports import UploadRefused, staged_import, uploaded_file
from sync.server.web.pages.children import today_of
from sync.server.web.pages.reports import XLSX, download
from sync.server.web.render import page

router = APIRouter()


def _base(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}"


@router.get("/s/{school_id}/classes")
def class_list(current: Manager, problem: str = "") -> Response:
    with current.reading() as session:
        classes = schools.classes_of(session, current.school.id, active_only=False)
        sizes = schools.class_sizes(session, current.school.id)
    return page(current, "classes.html", classes=classes, sizes=sizes, problem=problem)


@router.post("/s/{school_id}/classes")
def add_class(current: ManagerForm) -> Response:
    form = current.fields
    try:
        grade = int(value(form, "grade"))
        with current.writing() as session:
            klass = schools.add_class(session, current.school.id, value(form, "name"), grade)
            current.audit(
                "class_added",
                session=session,
                school_id=current.school.id,
                subject=f"class:{klass.id}",
            )
    except ValueError as exc:
        code = exc.code if isinstance(exc, FieldProblem) else "grade_invalid"
        return RedirectResponse(f"{_base(current)}/classes?problem={code}", status_code=303)
    return RedirectResponse(f"{_base(current)}/classes", status_code=303)


@router.post("/s/{school_id}/classes/{class_id}/retire")
def retire_class(class_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        with current.writing() as session:
            schools.retire_class(session, current.school.id, class_id)
            current.audit(
                "class_retired",
                session=session,
                school_id=current.school.id,
                subject=f"class:{class_id}",
            )
    except FieldProblem as problem:
        return RedirectResponse(f"{_base(current)}/classes?problem={problem.code}", status_code=303)
    return RedirectResponse(f"{_base(current)}/classes", status_code=303)


@router.get("/s/{school_id}/roster")
def roster_page(current: Manager, problem: str = "", done: str = "") -> Response:
    with current.reading() as session:
        classes = schools.classes_of(session, current.school.id)
    return page(
        current,
        "roster.html",
        classes=classes,
        problem=problem,
        done=done,
        today=today_of(current),
    )


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
    try:
        with current.writing() as session:
            if class_name is not None and class_name not in {
                c.name for c in schools.classes_of(session, current.school.id)
            }:
                return _back(current, "class_unknown")
            staged = roster_import.preview(
                session,
                current.school.id,
                current.user.id,
                filename,
                content,
                class_name=class_name,
                effective=effective,
                today=today_of(current),
            )
            current.audit(
                "roster_previewed",
                session=session,
                school_id=current.school.id,
                subject=f"import:{staged.id}",
                rows=len(staged.rows),
            )
    except (SheetFileError, ImportRefused) as problem:
        return _back(current, problem.code)
    return RedirectResponse(f"{_base(current)}/roster/imports/{staged.id}", status_code=303)


def _back(current: SchoolViewer, code: str) -> Response:
    return RedirectResponse(f"{_base(current)}/roster?problem={code}", status_code=303)


def _staged(current: SchoolViewer, session: Session, import_id: uuid.UUID) -> RosterImport:
    return staged_import(current, session, import_id, roster_import.WHAT)


@router.get("/s/{school_id}/roster/imports/{import_id}")
def preview_page(import_id: uuid.UUID, current: Manager) -> Response:
    with current.reading() as session:
        staged = _staged(current, session, import_id)
    return page(current, "roster_preview.html", staged=staged)


@router.post("/s/{school_id}/roster/imports/{import_id}/confirm")
def confirm_import(import_id: uuid.UUID, current: ManagerForm) -> Response:
    with current.writing() as session:
        staged = _staged(current, session, import_id)
        done = roster_import.confirm(session, staged)
        current.audit(
            "roster_imported",
            session=session,
            school_id=current.school.id,
            subject=f"import:{import_id}",
            **done,
        )
    summary = f"{done.get('new', 0)}-{done.get('update', 0)}"
    return RedirectResponse(f"{_base(current)}/roster?done={summary}", status_code=303)


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
    return RedirectResponse(f"{_base(current)}/roster", status_code=303)


@router.get("/s/{school_id}/roster/export")
def export_roster(current: PersonalExporter, klass: str = "", format: str = "xlsx") -> Response:
    with current.reading() as session:
        rows = roster_export.roster_rows(session, current.school.id, klass or None)
    current.audit(
        "export",
        school_id=current.school.id,
        subject="roster",
        klass=klass or None,
        format=format,
        rows=len(rows),
        personal=True,
    )
    title = f"{current.school.name} {klass or current.t('children.all_classes')} {current.t('roster.title')}"
    if format == "csv":
        return download(roster_export.roster_csv(rows), f"{title}.csv", "text/csv; charset=utf-8")
    return download(roster_export.roster_xlsx(title, rows), f"{title}.xlsx", XLSX)


@router.get("/s/{school_id}/roster/template")
def roster_template(current: Manager) -> Response:
    title = f"{current.school.name} {current.t('roster.title')}"
    return download(roster_export.roster_xlsx(title, []), f"{current.t('roster.template_file')}.xlsx", XLSX)
