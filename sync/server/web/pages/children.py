"""Children: the list, one child's record and timeline (every view audited), and — for the school's
administrator — editing the child, the people the child may call, cards, leaving and coming back.

Phone numbers appear only on the administrator's edit page; a child's record page names callees by
relation and name. Every change is audited with ids, never names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from db.enums import GuardianType, Relation
from sync.server.core.school_settings import settings_of
from sync.server.models import CareAssessment, CentralChild, Gender
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import child_lists
from sync.server.office.roster import children as service
from sync.server.office.schools import classes_of
from sync.server.reports import timeline
from sync.server.reports.basis import basis_for
from sync.server.web.context import ChildReader, Manager, ManagerForm, OfficeError, SchoolViewer
from sync.server.web.forms import Problems, child_details, day, value
from sync.server.web.pages.reports import PeriodCode, period_choices, period_for
from sync.server.web.render import page

router = APIRouter()
PAGE = 200


def today_of(current: SchoolViewer) -> date:
    return current.now().astimezone(settings_of(current.school).zone).date()


def child_of(current: SchoolViewer, session: Session, child_id: uuid.UUID) -> CentralChild:
    return current.owned(session, CentralChild, child_id)


def _base(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}"


def _saved(current: SchoolViewer, child_id: uuid.UUID) -> Response:
    """Back to the child's edit page, which says the change was saved (after every change here)."""
    return RedirectResponse(f"{_base(current)}/children/{child_id}/edit?saved=1", status_code=303)


@router.get("/s/{school_id}/children")
def child_list(current: ChildReader, klass: str = "", q: str = "", status: str = "active") -> Response:
    with current.reading() as session:
        found = child_lists.find_children(
            session, current.school.id, standing=status, klass=klass, wanted=fields.text(q), limit=PAGE + 1
        )
        cards = child_lists.active_card_counts(session, current.school.id)
        classes = classes_of(session, current.school.id)
    current.audit("view_child_list", school_id=current.school.id, shown=min(len(found), PAGE))
    return page(
        current,
        "children.html",
        children=found[:PAGE],
        more=len(found) > PAGE,
        cards=cards,
        classes=classes,
        klass=klass,
        q=q,
        status=status,
    )


@router.get("/s/{school_id}/children/new")
def new_child(current: Manager) -> Response:
    return _edit_page(current, None, Problems(), {})


@router.post("/s/{school_id}/children")
def create_child(current: ManagerForm) -> Response:
    form = current.fields
    today = today_of(current)
    details, problems = child_details(form, today)
    joined = problems.check("joined_on", day, form, "joined_on", today)
    if details is not None and not problems:
        try:
            with current.writing() as session:
                details = service.with_typed_number(session, details, None)
                child = service.create_child(session, current.school.id, details, joined)
                _audit_change(current, session, "child_created", child.id)
            return _saved(current, child.id)
        except FieldProblem as problem:
            problems.by_field[_field_of(problem.code)] = problem.code
    return _edit_page(current, None, problems, dict(form), status=400)


@router.get("/s/{school_id}/children/{child_id}")
def child_record(child_id: uuid.UUID, current: ChildReader, period: PeriodCode) -> Response:
    chosen = period_for(current, period)
    with current.reading() as session:
        child = child_of(current, session, child_id)
        contacts = child_lists.contacts_of(session, child.id)
        cards = child_lists.cards_of(session, child.id)
        report = timeline.build(
            basis_for(session, current.school, chosen, current.now(), current.locale),
            child.id,
            child.name,
        )
    current.audit("view_child", school_id=current.school.id, subject=f"child:{child.id}", period=chosen.code)
    return page(
        current,
        "child.html",
        child=child,
        contacts=contacts,
        cards=cards,
        report=report,
        period=chosen,
        **period_choices(current, chosen),
    )


@router.get("/s/{school_id}/children/{child_id}/edit")
def edit_child(child_id: uuid.UUID, current: Manager, saved: bool = False) -> Response:
    return _edit_page(current, child_id, Problems(), {}, saved=saved)


def _edit_page(
    current: SchoolViewer,
    child_id: uuid.UUID | None,
    problems: Problems,
    typed: dict[str, object],
    *,
    status: int = 200,
    saved: bool = False,
    note: str | None = None,
) -> Response:
    with current.reading() as session:
        child = child_of(current, session, child_id) if child_id else None
        contacts = child_lists.contacts_of(session, child.id) if child else []
        cards = child_lists.cards_of(session, child.id) if child else []
        classes = classes_of(session, current.school.id)
    if child is not None:
        current.audit("view_child", school_id=current.school.id, subject=f"child:{child.id}", page="edit")
    return page(
        current,
        "child_edit.html",
        status,
        child=child,
        contacts=contacts,
        cards=cards,
        classes=classes,
        problems=problems.by_field,
        typed=typed,
        saved=saved,
        note=note,
        today=today_of(current),
        genders=list(Gender),
        guardian_types=list(GuardianType),
        cares=list(CareAssessment),
        relations=list(Relation),
    )


@router.post("/s/{school_id}/children/{child_id}/edit")
def save_child(child_id: uuid.UUID, current: ManagerForm) -> Response:
    form = current.fields
    today = today_of(current)
    details, problems = child_details(form, today)
    if details is not None and not problems:
        try:
            with current.writing() as session:
                child = child_of(current, session, child_id)
                details = service.with_typed_number(session, details, child)
                if service.update_child(session, child, details, today):
                    _audit_change(current, session, "child_changed", child.id)
            return _saved(current, child_id)
        except FieldProblem as problem:
            problems.by_field[_field_of(problem.code)] = problem.code
    return _edit_page(current, child_id, problems, dict(form), status=400)


@router.post("/s/{school_id}/children/{child_id}/contacts")
def save_contact(child_id: uuid.UUID, current: ManagerForm) -> Response:
    form = current.fields
    contact_text = value(form, "contact_id")
    try:
        contact_id = uuid.UUID(contact_text) if contact_text else None
        relation = Relation(value(form, "relation"))
    except ValueError:
        raise OfficeError(400, "bad_request") from None
    try:
        with current.writing() as session:
            child = child_of(current, session, child_id)
            contact = service.save_contact(
                session,
                child,
                contact_id,
                relation=relation,
                name=value(form, "name"),
                phone=value(form, "phone"),
                allowed_to_call=form.get("allowed_to_call") == "on",
            )
            _audit_change(current, session, "contact_saved", child.id, contact=contact.id)
    except FieldProblem as problem:
        return _edit_page(
            current, child_id, Problems({f"contact.{problem.code}": problem.code}), {}, status=400
        )
    return _saved(current, child_id)


@router.post("/s/{school_id}/children/{child_id}/cards")
def assign_card(child_id: uuid.UUID, current: ManagerForm) -> Response:
    return _change_card(current, child_id, service.assign_card, "card_assigned")


@router.post("/s/{school_id}/children/{child_id}/cards/lost")
def card_lost(child_id: uuid.UUID, current: ManagerForm) -> Response:
    return _change_card(current, child_id, service.mark_card_lost, "card_lost")


def _change_card(
    current: ManagerForm, child_id: uuid.UUID, change: Callable[..., Any], action: str
) -> Response:
    """A card given to or taken from a child by its UID, audited; a bad UID shows the form again."""
    try:
        with current.writing() as session:
            child = child_of(current, session, child_id)
            card = change(session, child, value(current.fields, "uid"))
            _audit_change(current, session, action, child.id, card=card.uid)
    except FieldProblem as problem:
        return _edit_page(current, child_id, Problems({"card": problem.code}), {}, status=400)
    return _saved(current, child_id)


@router.post("/s/{school_id}/children/{child_id}/deactivate")
def deactivate(child_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        left_on = day(current.fields, "left_on", today_of(current))
        with current.writing() as session:
            child = child_of(current, session, child_id)
            retired = service.deactivate(session, child, left_on)
            _audit_change(
                current, session, "child_left", child.id, left_on=left_on.isoformat(), cards=retired
            )
    except FieldProblem as problem:
        return _edit_page(current, child_id, Problems({"left_on": problem.code}), {}, status=400)
    return _saved(current, child_id)


@router.post("/s/{school_id}/children/{child_id}/reactivate")
def reactivate(child_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        with current.writing() as session:
            child = child_of(current, session, child_id)
            service.reactivate(child)
            _audit_change(current, session, "child_returned", child.id)
    except FieldProblem as problem:
        return _edit_page(current, child_id, Problems({"left_on": problem.code}), {}, status=400)
    return _saved(current, child_id)


def _audit_change(
    current: SchoolViewer, session: Session, action: str, child_id: uuid.UUID, **detail: object
) -> None:
    current.audit(action, session=session, school_id=current.school.id, subject=f"child:{child_id}", **detail)


def _field_of(code: str) -> str:
    return {
        "class_unknown": "class_name",
        "student_no_taken": "student_no",
        "student_no_invalid": "student_no",
        "student_no_masked_typed": "student_no",
        "left_before_joined": "left_on",
        "child_erased": "name",
    }.get(code, "name")
