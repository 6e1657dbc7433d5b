"""The room's staff (值班老师 / 管理员) for the kiosk's administrator mode: add a teacher with a PIN,
set a PIN anew, give a staff card, stop a teacher who left. PINs are typed twice and never shown."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from db.enums import StaffRole
from sync.server.models import CentralStaff
from sync.server.office import staff as service
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import cards
from sync.server.office.staff_pins import MAX_DIGITS, MIN_DIGITS
from sync.server.web.context import Manager, ManagerForm, OfficeError, SchoolViewer
from sync.server.web.forms import value
from sync.server.web.render import page

router = APIRouter()


def _page(current: SchoolViewer, status: int = 200, problem: str | None = None) -> Response:
    with current.reading() as session:
        members = service.staff_of(session, current.school.id)
        by_staff = service.cards_by_staff(session, current.school.id)
    return page(
        current,
        "staff.html",
        status,
        members=members,
        cards=by_staff,
        roles=list(StaffRole),
        problem=problem,
        pin_digits=(MIN_DIGITS, MAX_DIGITS),
    )


@router.get("/s/{school_id}/staff")
def staff_list(current: Manager) -> Response:
    return _page(current)


@router.post("/s/{school_id}/staff")
def add_staff(current: ManagerForm) -> Response:
    form = current.fields
    try:
        role = StaffRole(value(form, "role"))
    except ValueError:
        raise OfficeError(400, "bad_request") from None
    try:
        with current.writing() as session:
            member = service.create(
                session,
                current.school.id,
                value(form, "name"),
                role,
                value(form, "pin"),
                value(form, "pin_again"),
            )
            current.audit(
                "staff_created",
                session=session,
                school_id=current.school.id,
                subject=f"staff:{member.id}",
            )
    except FieldProblem as problem:
        return _page(current, 400, problem.code)
    return RedirectResponse(f"/office/s/{current.school.id}/staff", status_code=303)


@router.post("/s/{school_id}/staff/{staff_id}")
def change_staff(staff_id: uuid.UUID, current: ManagerForm) -> Response:
    form = current.fields
    action = value(form, "action")
    try:
        with current.writing() as session:
            member = current.owned(session, CentralStaff, staff_id)
            if action == "pin":
                service.set_pin(member, value(form, "pin"), value(form, "pin_again"))
            elif action == "card":
                service.give_card(session, member, value(form, "uid"))
            elif action == "lost":
                cards.mark_lost(session, current.school.id, value(form, "uid"), staff_id=member.id)
            elif action in ("disable", "enable"):
                service.set_active(session, member, action == "enable")
            else:
                raise OfficeError(400, "bad_request")
            current.audit(
                f"staff_{action}",
                session=session,
                school_id=current.school.id,
                subject=f"staff:{member.id}",
            )
    except FieldProblem as problem:
        return _page(current, 400, problem.code)
    return RedirectResponse(f"/office/s/{current.school.id}/staff", status_code=303)
