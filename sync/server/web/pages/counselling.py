"""心理咨询: the counsellors' records and, for the administrator, that sessions were held and when.

A counsellor (Right.COUNSEL) lists the records, opens one (each opening audited), and writes new ones.
The administrator sees per day how many sessions were held — no child, no counsellor, no content — so
the school can check that the work is done without reading it. Nobody else has this page.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from sync.server.models import CentralChild, CounsellingRecord
from sync.server.office.accounts.access import Right
from sync.server.office.care import counselling
from sync.server.office.fields import FieldProblem, free_text
from sync.server.office.roster import child_lists
from sync.server.web.context import Counsellor, CounsellorForm, OfficeError, ReportReader, SchoolViewer
from sync.server.web.forms import value
from sync.server.web.pages.children import today_of
from sync.server.web.render import page

router = APIRouter()
SHOWN_DAYS = 365


def _list_page(
    current: SchoolViewer, status: int = 200, problem: str = "", typed: dict | None = None
) -> Response:
    today = today_of(current)
    if not current.can(Right.COUNSEL):
        if not current.can(Right.MANAGE):
            raise OfficeError(403, "forbidden")
        with current.reading() as session:
            days = counselling.days_of_school(session, current.school.id, today - timedelta(days=SHOWN_DAYS))
        return page(
            current, "counselling.html", rows=None, days=days, children=[], today=today, problem="", typed={}
        )
    with current.reading() as session:
        rows = counselling.listing(session, current.school.id)
        children = child_lists.find_children(
            session, current.school.id, standing="active", klass="", wanted="", limit=5000
        )
    current.audit("view_counselling_list", school_id=current.school.id, shown=len(rows))
    return page(
        current, "counselling.html", status, rows=rows, days=None, children=children, today=today,
        problem=problem, typed=typed or {},
    )  # fmt: skip


@router.get("/s/{school_id}/counselling")
def counselling_list(current: ReportReader) -> Response:
    return _list_page(current)


@router.post("/s/{school_id}/counselling")
def add_record(current: CounsellorForm) -> Response:
    form, today = current.fields, today_of(current)
    content, follow_up = free_text(value(form, "content")), free_text(value(form, "follow_up"))
    try:
        try:
            on_day = date.fromisoformat(value(form, "on_day")) if value(form, "on_day") else today
            minutes = int(value(form, "minutes")) if value(form, "minutes").strip() else None
            child_id = uuid.UUID(value(form, "child_id"))
        except ValueError:
            raise FieldProblem(
                "minutes_invalid" if value(form, "minutes").strip() else "child_unknown"
            ) from None
        counselling.check(on_day, minutes, content, follow_up, today)
        with current.writing() as session:
            record = counselling.create(
                session, current.school.id, child_id, current.user.id,
                on_day=on_day, minutes=minutes, content=content, follow_up=follow_up,
            )  # fmt: skip
            current.audit(
                "counselling_recorded", session=session, school_id=current.school.id,
                subject=f"counselling:{record.id}",
            )  # fmt: skip
    except FieldProblem as problem:
        typed = {k: v for k, v in dict(form).items() if isinstance(v, str)}
        return _list_page(current, 400, problem.code, typed)
    return RedirectResponse(f"/office/s/{current.school.id}/counselling/{record.id}", status_code=303)


@router.get("/s/{school_id}/counselling/{record_id}")
def counselling_record(record_id: uuid.UUID, current: Counsellor) -> Response:
    with current.reading() as session:
        record = current.owned(session, CounsellingRecord, record_id)
        child = session.get(CentralChild, record.child_id)
    current.audit("view_counselling", school_id=current.school.id, subject=f"counselling:{record.id}")
    return page(current, "counselling_record.html", record=record, child=child)
