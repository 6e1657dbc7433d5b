"""The roster (花名册): classes, the roster page, export in the layout the import reads, and the blank
template (importing is roster_imports). Only the school's administrator exports: names and phone
numbers.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from sync.server.office import schools
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import roster_export
from sync.server.office.roster import roster_template as template
from sync.server.web.context import Manager, ManagerForm, PersonalExporter, SchoolViewer
from sync.server.web.forms import value
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
    with current.reading() as session:
        classes = [c.name for c in schools.classes_of(session, current.school.id)]
    content = template.roster_template(title, classes)
    return download(content, f"{current.t('roster.template_file')}.xlsx", XLSX)
