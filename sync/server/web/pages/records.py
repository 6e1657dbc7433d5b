"""What sync brought in, for the school's administrator: conflicts to look at and resolve with a note,
the searchable log of received events per kiosk, and the audit log of the office itself."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from db.events import EVENT_TYPES
from sync.server.core.school_settings import settings_of
from sync.server.devices import provisioning
from sync.server.i18n import CATALOGUES
from sync.server.office import audit, conflicts, event_log
from sync.server.office.conflicts import ids_in, names_for
from sync.server.office.fields import FieldProblem
from sync.server.web.audit_words import detail_words, other_names, subject_words
from sync.server.web.context import AuditReader, Manager, ManagerForm
from sync.server.web.forms import value
from sync.server.web.render import page

router = APIRouter()


@router.get("/s/{school_id}/conflicts")
def conflict_list(current: Manager, show: str = "open", problem: str = "") -> Response:
    with current.reading() as session:
        found, named = conflicts.conflicts_of(session, current.school.id, open_only=show != "all")
        set_aside = conflicts.set_aside_of(session, current.school.id, open_only=show != "all")
        devices = {
            str(d.id): d.label or str(d.id)[:8] for d in provisioning.devices_of(session, current.school.id)
        }
    return page(
        current,
        "conflicts.html",
        conflicts=found,
        named=named,
        set_aside=set_aside,
        kiosk_names=devices,
        show=show,
        problem=problem,
        known_types=EVENT_TYPES,
    )


@router.post("/s/{school_id}/conflicts/{conflict_id}/resolve")
def resolve_conflict(conflict_id: uuid.UUID, current: ManagerForm) -> Response:
    def resolve(session: Session) -> None:
        note = value(current.fields, "note")
        conflicts.resolve(session, current.school.id, conflict_id, current.user.id, note)

    return _mark_dealt_with(current, resolve, "conflict_resolved", f"conflict:{conflict_id}")


@router.post("/s/{school_id}/conflicts/set-aside/{event_id}/resolve")
def resolve_set_aside(event_id: uuid.UUID, current: ManagerForm) -> Response:
    def resolve(session: Session) -> None:
        conflicts.resolve_set_aside(session, current.school.id, event_id)

    return _mark_dealt_with(current, resolve, "set_aside_resolved", f"event:{event_id}")


def _mark_dealt_with(
    current: ManagerForm, resolve: Callable[[Session], None], action: str, subject: str
) -> Response:
    """Mark a conflict or a set-aside event dealt with, audited, and go back to the conflicts page."""
    conflicts_page = f"/office/s/{current.school.id}/conflicts"
    try:
        with current.writing() as session:
            resolve(session)
            current.audit(action, session=session, school_id=current.school.id, subject=subject)
    except FieldProblem as problem:
        return RedirectResponse(f"{conflicts_page}?problem={problem.code}", status_code=303)
    return RedirectResponse(conflicts_page, status_code=303)


@router.get("/s/{school_id}/events")
def event_list(
    current: Manager, kiosk: str = "", type: str = "", day: str = "", child: str = "", before: str = ""
) -> Response:
    try:
        query = event_log.EventQuery(
            device_id=uuid.UUID(kiosk) if kiosk else None,
            type=type or None,
            day=date.fromisoformat(day) if day else None,
            child=child,
            before_seq=int(before) if before else None,
        )
    except ValueError:
        query = event_log.EventQuery()
    with current.reading() as session:
        events, named = event_log.search(session, current.school.id, query, settings_of(current.school).zone)
        devices = provisioning.devices_of(session, current.school.id)
    if query.child:
        current.audit("view_events", school_id=current.school.id, subject="events", child_search=True)
    return page(
        current,
        "events.html",
        events=events,
        named=named,
        devices=devices,
        types=sorted(EVENT_TYPES),
        search=query,
        describe=lambda event: event_log.describe(event, named, current.t),
        kiosk=kiosk,
        more=len(events) == event_log.PAGE,
    )


@router.get("/s/{school_id}/audit")
def audit_log(current: AuditReader, action: str = "", user: str = "", before: str = "") -> Response:
    try:
        until = datetime.fromisoformat(before) if before else None
    except ValueError:
        until = None
    with current.reading() as session:
        entries = audit.entries(
            session, current.school.id, action=action or None, username=user or None, before=until
        )
        ids: set[str] = set()
        for entry in entries:
            ids |= ids_in((entry.subject or "").partition(":")[2])
        named = names_for(session, current.school.id, ids)
        names = {**other_names(session, current.school.id, ids), **named.names}
    actions = [
        (key.removeprefix("audit_action."), current.t(key))
        for key in CATALOGUES["zh_CN"]
        if key.startswith("audit_action.")
    ]
    return page(
        current,
        "audit.html",
        entries=entries,
        subject_of=lambda entry: subject_words(entry.subject, names, current.t),
        detail_of=lambda entry: detail_words(entry.detail, current.t, current.locale),
        actions=sorted(actions, key=lambda pair: pair[1]),
        action=action,
        user_filter=user,
    )
