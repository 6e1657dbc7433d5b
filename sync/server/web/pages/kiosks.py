"""Kiosks: the school's rooms, a one-time enrolment code for a new kiosk (text and QR code, shown once),
revoking a kiosk, and each kiosk's state — last sync, backlog, clock offset, version."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from sync.server.office import kiosks
from sync.server.office.fields import FieldProblem
from sync.server.web.context import Manager, ManagerForm, SchoolViewer
from sync.server.web.forms import value
from sync.server.web.render import page

router = APIRouter()


def _list_page(current: SchoolViewer, status: int = 200, **extra: object) -> Response:
    with current.reading() as session:
        rooms = kiosks.rooms_of(session, current.school.id)
        states = kiosks.kiosks_of(session, current.school.id, current.now())
    defaults: dict[str, object] = {
        "problem": None,
        "issued": None,
        "qr": None,
        "server_url": None,
        "room_name": None,
    }
    return page(current, "kiosks.html", status, rooms=rooms, kiosks=states, **(defaults | extra))


@router.get("/s/{school_id}/kiosks")
def kiosk_list(current: Manager) -> Response:
    return _list_page(current)


@router.post("/s/{school_id}/kiosks/rooms")
def add_room(current: ManagerForm) -> Response:
    try:
        with current.writing() as session:
            room = kiosks.add_room(session, current.school.id, value(current.fields, "name"))
            current.audit(
                "room_added", session=session, school_id=current.school.id, subject=f"room:{room.id}"
            )
    except FieldProblem as problem:
        return _list_page(current, 400, problem=problem.code)
    return RedirectResponse(f"/office/s/{current.school.id}/kiosks", status_code=303)


@router.post("/s/{school_id}/kiosks/codes")
def issue_code(current: ManagerForm) -> Response:
    """The code is shown on this response only (it is stored hashed), as text and as a QR code."""
    form = current.fields
    try:
        room_id = uuid.UUID(value(form, "room_id"))
        hours = float(value(form, "hours") or 24)
    except ValueError:
        return _list_page(current, 400, problem="room_unknown")
    try:
        with current.writing() as session:
            issued = kiosks.issue_code(session, current.school.id, room_id, hours)
            room_name = next(r.name for r in kiosks.rooms_of(session, current.school.id) if r.id == room_id)
            current.audit(
                "enrolment_code_issued",
                session=session,
                school_id=current.school.id,
                subject=f"room:{room_id}",
                hours=hours,
            )
    except FieldProblem as problem:
        return _list_page(current, 400, problem=problem.code)
    server_url = str(current.request.base_url).rstrip("/")
    qr = Markup(kiosks.qr_svg(kiosks.enrolment_uri(server_url, issued.code)))  # noqa: S704 - segno's own SVG
    return _list_page(current, issued=issued, qr=qr, server_url=server_url, room_name=room_name)


@router.post("/s/{school_id}/kiosks/{device_id}/revoke")
def revoke(device_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        with current.writing() as session:
            kiosks.revoke(session, current.school.id, device_id)
            current.audit(
                "kiosk_revoked",
                session=session,
                school_id=current.school.id,
                subject=f"kiosk:{device_id}",
            )
    except FieldProblem as problem:
        return _list_page(current, 404, problem=problem.code)
    return RedirectResponse(f"/office/s/{current.school.id}/kiosks", status_code=303)
