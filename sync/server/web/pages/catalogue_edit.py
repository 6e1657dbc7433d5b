"""Correcting one title (名称, 类别, 作者, ISBN, 单价) or one copy (its barcode, shelf state, date acquired)
of the catalogue: the administrator's pages, each change audited and pulled by the kiosks at their
next sync. Staff may read the catalogue but see no edit links (they would lead to "forbidden").
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from db.enums import CopyStatus, ItemKind
from sync.server.office.catalogue import editing
from sync.server.office.catalogue.catalogue_fields import price_text
from sync.server.office.fields import FieldProblem
from sync.server.web.context import Manager, ManagerForm, OfficeError, SchoolViewer
from sync.server.web.pages.children import today_of
from sync.server.web.render import page

router = APIRouter()


def _catalogue(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}/catalogue"


def _form(current: ManagerForm) -> dict[str, str]:
    return {key: value for key, value in current.fields.items() if isinstance(value, str)}


@router.get("/s/{school_id}/catalogue/items/{item_id}")
def title_page(item_id: uuid.UUID, current: Manager, saved: int = 0) -> Response:
    return _title_page(current, item_id, {}, {}, saved=bool(saved))


def _title_page(
    current: SchoolViewer,
    item_id: uuid.UUID,
    typed: dict[str, str],
    problems: dict[str, str],
    *,
    saved: bool = False,
    status: int = 200,
) -> Response:
    with current.reading() as session:
        item = editing.item_of(session, current.school.id, item_id)
        if item is None:
            raise OfficeError(404, "not_found")
        copies = editing.copies_of(session, item)
        out = editing.copies_out(session, current.school.id, copies)
    shown = {
        "kind": item.kind.value,
        "title": item.title,
        "author": item.author or "",
        "isbn": item.isbn or "",
        "price": price_text(item.price_fen),
    } | typed
    return page(
        current,
        "catalogue_item.html",
        status,
        book=item,
        copies=copies,
        out=out,
        shown=shown,
        problems=problems,
        kinds=list(ItemKind),
        saved=saved,
    )


@router.post("/s/{school_id}/catalogue/items/{item_id}")
def save_title(item_id: uuid.UUID, current: ManagerForm) -> Response:
    typed = _form(current)
    details, problems = editing.title_details(typed)
    if details is not None:
        try:
            with current.writing() as session:
                item = editing.item_of(session, current.school.id, item_id)
                if item is None:
                    raise OfficeError(404, "not_found")
                if editing.change_title(session, item, details):
                    current.audit(
                        "catalogue_title_changed",
                        school_id=current.school.id,
                        subject=f"item:{item_id}",
                        session=session,
                    )
            return RedirectResponse(f"{_catalogue(current)}/items/{item_id}?saved=1", status_code=303)
        except FieldProblem as problem:
            problems = {"title": problem.code}
    return _title_page(current, item_id, typed, problems, status=400)


@router.get("/s/{school_id}/catalogue/copies/{copy_id}")
def copy_page(copy_id: uuid.UUID, current: Manager, saved: int = 0) -> Response:
    return _copy_page(current, copy_id, {}, {}, saved=bool(saved))


def _copy_page(
    current: SchoolViewer,
    copy_id: uuid.UUID,
    typed: dict[str, str],
    problems: dict[str, str],
    *,
    saved: bool = False,
    status: int = 200,
) -> Response:
    with current.reading() as session:
        copy = editing.copy_of(session, current.school.id, copy_id)
        if copy is None:
            raise OfficeError(404, "not_found")
        item = editing.item_of(session, current.school.id, copy.item_id)
        on_loan = bool(editing.copies_out(session, current.school.id, [copy]))
    shown = {
        "barcode": copy.barcode,
        "status": copy.status.value,
        "acquired_on": copy.acquired_on.isoformat() if copy.acquired_on else "",
    } | typed
    return page(
        current,
        "catalogue_copy.html",
        status,
        copy=copy,
        book=item,
        on_loan=on_loan,
        shown=shown,
        problems=problems,
        statuses=list(CopyStatus),
        today=today_of(current),
        saved=saved,
    )


@router.post("/s/{school_id}/catalogue/copies/{copy_id}")
def save_copy(copy_id: uuid.UUID, current: ManagerForm) -> Response:
    typed = _form(current)
    details, problems = editing.copy_details(typed, today_of(current))
    if details is not None:
        try:
            with current.writing() as session:
                copy = editing.copy_of(session, current.school.id, copy_id)
                if copy is None:
                    raise OfficeError(404, "not_found")
                if editing.change_copy(session, copy, details):
                    current.audit(
                        "catalogue_copy_changed",
                        school_id=current.school.id,
                        subject=f"copy:{copy_id}",
                        barcode=details.barcode,
                        status=details.status.value,
                        session=session,
                    )
            return RedirectResponse(f"{_catalogue(current)}/copies/{copy_id}?saved=1", status_code=303)
        except FieldProblem as problem:
            problems = {"barcode": problem.code}
    return _copy_page(current, copy_id, typed, problems, status=400)
