"""The catalogue (图书与器材): the room's books and equipment copy by copy, import from the school's
register with a preview of every row before anything is written, export in the same layout, and the
empty template.

School staff may read the list (it names no child); only the administrator imports. The preview is a
page of its own address, like the roster's, so it survives a reload and can be confirmed or cancelled
later. What a confirmation writes reaches the kiosks at their next pull.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from db.enums import ItemKind
from sync.server.office.accounts.access import Right
from sync.server.office.catalogue import catalogue_export, catalogue_import, listing
from sync.server.office.sheets.sheet_files import SheetFileError
from sync.server.office.sheets.staging import ImportRefused
from sync.server.web.context import CatalogueReader, Manager, ManagerForm, SchoolViewer
from sync.server.web.imports import UploadRefused, staged_import, uploaded_file
from sync.server.web.pages.children import today_of
from sync.server.web.pages.reports import XLSX, download
from sync.server.web.render import page

router = APIRouter()


def _base(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}/catalogue"


def _back(current: SchoolViewer, code: str) -> Response:
    return RedirectResponse(f"{_base(current)}?problem={code}", status_code=303)


@router.get("/s/{school_id}/catalogue")
def catalogue_page(
    current: CatalogueReader,
    kind: str = "",
    q: str = "",
    problem: str = "",
    done: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    chosen = ItemKind(kind) if kind in ItemKind.__members__.values() else None
    with current.reading() as session:
        found = listing.items_of(session, current.school.id, kind=chosen, query=q.strip()[:40], page=page_no)
    return page(
        current,
        "catalogue.html",
        items=found.lines,
        listing=found,
        kinds=list(ItemKind),
        kind=chosen.value if chosen else "",
        q=q,
        problem=problem,
        done=done,
        may_import=current.can(Right.MANAGE),
    )


@router.post("/s/{school_id}/catalogue/preview")
async def upload_catalogue(current: ManagerForm) -> Response:
    try:
        filename, content = await uploaded_file(current.fields)
    except UploadRefused as problem:
        return _back(current, problem.code)
    return await run_in_threadpool(_stage, current, filename, content)


def _stage(current: SchoolViewer, filename: str, content: bytes) -> Response:
    """The file is read before any transaction opens: nothing waits while a big file is read."""
    try:
        sheet = catalogue_import.read_file(filename, content)
        with current.writing() as session:
            staged = catalogue_import.preview(
                session, current.school.id, current.user.id, filename, sheet, today=today_of(current)
            )
            current.audit(
                "catalogue_previewed",
                session=session,
                school_id=current.school.id,
                subject=f"import:{staged.id}",
                rows=len(staged.rows),
            )
    except (SheetFileError, ImportRefused) as problem:
        return _back(current, problem.code)
    return RedirectResponse(f"{_base(current)}/imports/{staged.id}", status_code=303)


@router.get("/s/{school_id}/catalogue/imports/{import_id}")
def preview_page(import_id: uuid.UUID, current: Manager) -> Response:
    with current.reading() as session:
        staged = staged_import(current, session, import_id, catalogue_import.WHAT)
    return page(current, "catalogue_preview.html", staged=staged)


@router.post("/s/{school_id}/catalogue/imports/{import_id}/confirm")
def confirm_import(import_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        with current.writing() as session:
            staged = staged_import(current, session, import_id, catalogue_import.WHAT)
            done = catalogue_import.confirm(session, staged)
            current.audit(
                "catalogue_imported",
                session=session,
                school_id=current.school.id,
                subject=f"import:{import_id}",
                **done,
            )
    except (ImportRefused, IntegrityError):  # the catalogue changed since the preview: nothing written
        return _back(current, "preview_stale")
    summary = f"{done.get('new', 0)}-{done.get('update', 0)}-{done.get('items', 0)}"
    return RedirectResponse(f"{_base(current)}?done={summary}", status_code=303)


@router.post("/s/{school_id}/catalogue/imports/{import_id}/cancel")
def cancel_import(import_id: uuid.UUID, current: ManagerForm) -> Response:
    with current.writing() as session:
        session.delete(staged_import(current, session, import_id, catalogue_import.WHAT))
        current.audit(
            "catalogue_cancelled",
            session=session,
            school_id=current.school.id,
            subject=f"import:{import_id}",
        )
    return RedirectResponse(_base(current), status_code=303)


@router.get("/s/{school_id}/catalogue/export")
def export_catalogue(current: CatalogueReader, format: str = "xlsx") -> Response:
    with current.reading() as session:
        rows = catalogue_export.catalogue_rows(session, current.school.id)
    current.audit("export", school_id=current.school.id, subject="catalogue", format=format, rows=len(rows))
    title = f"{current.school.name} {current.t('catalogue.title')}"
    if format == "csv":
        return download(catalogue_export.catalogue_csv(rows), f"{title}.csv", "text/csv; charset=utf-8")
    return download(catalogue_export.catalogue_xlsx(title, rows), f"{title}.xlsx", XLSX)


@router.get("/s/{school_id}/catalogue/template")
def catalogue_template(current: Manager) -> Response:
    title = f"{current.school.name} {current.t('catalogue.title')}"
    return download(
        catalogue_export.catalogue_xlsx(title, []), f"{current.t('catalogue.template_file')}.xlsx", XLSX
    )
