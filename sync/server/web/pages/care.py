"""我的孩子: a teacher's phone view of the children paired with them (and, as 班主任, their class) —
the last 谈心, 家访, contact with the family and call home from the room's kiosk, and what is due —
with the forms to record a 谈心, a 家访 (with photos from the phone's camera) and a contact, and the
author's correction within seven days.

A child who is not theirs is "not found" to a teacher (sync.server.office.care.scope); a user allowed
to see every child (the administrator) may read any child's care page. Every view of a child's page,
every record and every correction is audited; photos are served only to those who may see the child.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from sync.server.core.school_settings import settings_of
from sync.server.models import (
    CareKind,
    CarePhoto,
    CareRecord,
    CentralChild,
    ContactChannel,
    FamilyParty,
    TalkTopic,
)
from sync.server.office.accounts.access import Right
from sync.server.office.care import counselling, overview, records
from sync.server.office.care.scope import Mine, child_of_teacher
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import child_lists
from sync.server.web.care_forms import care_details, uploaded_photos
from sync.server.web.context import Carer, CarerForm, OfficeError, SchoolViewer
from sync.server.web.forms import Problems
from sync.server.web.pages.children import today_of
from sync.server.web.render import page

router = APIRouter()


def _base(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}/care"


def visible_child(current: SchoolViewer, session: Session, child_id: uuid.UUID) -> Mine:
    """The child if this user may see them: theirs today, or any child for a user who sees all."""
    try:
        return child_of_teacher(session, current.school.id, current.user.id, child_id, today_of(current))
    except FieldProblem:
        if not current.can(Right.SEE_CHILDREN):
            raise OfficeError(404, "not_found") from None
    child = current.owned(session, CentralChild, child_id)
    return Mine(child, own_pair=False, by_class=False, carer=False)


@router.get("/s/{school_id}/care")
def my_children(current: Carer) -> Response:
    settings = settings_of(current.school)
    with current.reading() as session:
        cards = overview.my_children(session, current.school, settings, current.user.id, today_of(current))
    if cards:
        current.audit("view_care_list", school_id=current.school.id, shown=len(cards))
    return page(
        current,
        "care_mine.html",
        cards=cards,
        settings=settings,
        due=sum(
            1
            for c in cards
            if c.mine.carer and (c.status.talk_due or c.status.contact_due or c.status.visits_missing)
        ),
        overdue=sum(1 for c in cards if c.mine.carer and c.status.overdue),
        teacher=None,
    )


@router.get("/s/{school_id}/care/children/{child_id}")
def child_care(child_id: uuid.UUID, current: Carer, saved: str = "") -> Response:
    settings, today, now = settings_of(current.school), today_of(current), current.now()
    with current.reading() as session:
        mine = visible_child(current, session, child_id)
        child = mine.child
        contacts = child_lists.contacts_of(session, child.id)
        history = records.history(session, current.school.id, child.id)
        photos = records.photo_ids(session, [r.id for r in history if r.kind is CareKind.VISIT])
        authors = overview.author_names(session, {r.author_id for r in history})
        status = overview.my_children_status(session, current.school, settings, child, today)
        sessions_held = counselling.days_of_child(session, current.school.id, child.id)
    current.audit("view_care_child", school_id=current.school.id, subject=f"child:{child.id}")
    return page(
        current,
        "care_child.html",
        mine=mine,
        child=child,
        contacts=contacts,
        history=history,
        photos=photos,
        authors=authors,
        status=status,
        counselling_days=sessions_held,
        may_correct=lambda r: records.may_correct(r, current.user.id, now),
        locks_at=records.locks_at,
        saved=saved,
        settings=settings,
    )


def _form_page(
    current: SchoolViewer,
    child: CentralChild,
    kind: CareKind,
    problems: Problems,
    typed: dict[str, object],
    record: CareRecord | None = None,
    status: int = 200,
    photo_count: int = 0,
) -> Response:
    return page(
        current,
        "care_record_form.html",
        status,
        child=child,
        kind=kind,
        record=record,
        problems=problems.by_field,
        typed=typed,
        today=today_of(current),
        topics=list(TalkTopic),
        parties=list(FamilyParty),
        channels=list(ContactChannel),
        photo_count=photo_count,
        max_bytes=3_500_000,
    )


def _kind(text: str) -> CareKind:
    try:
        return CareKind(text)
    except ValueError:
        raise OfficeError(404, "not_found") from None


@router.get("/s/{school_id}/care/children/{child_id}/new/{kind}")
def new_record(child_id: uuid.UUID, kind: str, current: Carer) -> Response:
    with current.reading() as session:
        child = visible_child(current, session, child_id).child
    return _form_page(current, child, _kind(kind), Problems(), {})


@router.post("/s/{school_id}/care/children/{child_id}/new/{kind}")
def create_record(child_id: uuid.UUID, kind: str, current: CarerForm) -> Response:
    chosen, form = _kind(kind), current.fields
    details, problems = care_details(form, chosen, today_of(current))
    with current.reading() as session:
        child = visible_child(current, session, child_id).child
    if details is None:
        return _form_page(current, child, chosen, problems, _typed(form), status=400)
    try:
        photos = uploaded_photos(form) if chosen is CareKind.VISIT else []
        with current.writing() as session:
            record = records.create(
                session, current.school.id, child.id, current.user.id, chosen, details, photos
            )
            current.audit(
                "care_record_created",
                session=session,
                school_id=current.school.id,
                subject=f"child:{child.id}",
                record=record.id,
                kind=chosen.value,
                photos=len(photos),
            )
    except FieldProblem as problem:
        return _form_page(
            current, child, chosen, Problems({"photos": problem.code}), _typed(form), status=400
        )
    return RedirectResponse(f"{_base(current)}/children/{child.id}?saved={chosen.value}", status_code=303)


def _own_record(current: SchoolViewer, session: Session, record_id: uuid.UUID) -> CareRecord:
    record = current.owned(session, CareRecord, record_id)
    if record.author_id != current.user.id:
        raise OfficeError(404, "not_found")
    return record


@router.get("/s/{school_id}/care/records/{record_id}")
def edit_record(record_id: uuid.UUID, current: Carer) -> Response:
    with current.reading() as session:
        record = _own_record(current, session, record_id)
        child = current.owned(session, CentralChild, record.child_id)
        count = len(records.photo_ids(session, [record.id]).get(record.id, []))
    if not records.may_correct(record, current.user.id, current.now()):
        raise OfficeError(403, "record_locked")
    typed = {
        "on_day": record.on_day.isoformat(),
        "topics": record.topics,
        "minutes": record.minutes or "",
        "met": record.met or "",
        "party": record.party.value if record.party else "",
        "channel": record.channel.value if record.channel else "",
        "notes": record.notes,
    }
    return _form_page(current, child, record.kind, Problems(), typed, record, photo_count=count)


@router.post("/s/{school_id}/care/records/{record_id}")
def correct_record(record_id: uuid.UUID, current: CarerForm) -> Response:
    form = current.fields
    with current.reading() as session:
        record = _own_record(current, session, record_id)
        child = current.owned(session, CentralChild, record.child_id)
    details, problems = care_details(form, record.kind, today_of(current))
    if details is None:
        return _form_page(current, child, record.kind, problems, _typed(form), record, status=400)
    try:
        photos = uploaded_photos(form) if record.kind is CareKind.VISIT else []
        with current.writing() as session:
            stored = _own_record(current, session, record_id)
            changed = records.correct(session, stored, current.user.id, details, photos)
            if changed:
                current.audit(
                    "care_record_corrected",
                    session=session,
                    school_id=current.school.id,
                    subject=f"child:{child.id}",
                    record=stored.id,
                    fields=changed,
                )
    except FieldProblem as problem:
        if problem.code == "record_locked":
            raise OfficeError(403, "record_locked") from None
        return _form_page(
            current, child, record.kind, Problems({"photos": problem.code}), _typed(form), record, 400
        )
    return RedirectResponse(f"{_base(current)}/children/{child.id}?saved=corrected", status_code=303)


def _typed(form: object) -> dict[str, object]:
    typed: dict[str, object] = {k: v for k, v in dict(form).items() if isinstance(v, str)}  # type: ignore[call-overload]
    typed["topics"] = [t for t in form.getlist("topics") if isinstance(t, str)]  # type: ignore[attr-defined]
    return typed


@router.get("/s/{school_id}/care/photos/{photo_id}")
def photo(photo_id: uuid.UUID, current: Carer) -> Response:
    """A home visit's photo, to those who may see its child; every view audited."""
    with current.reading() as session:
        stored = current.owned(session, CarePhoto, photo_id)
        if stored.record_id is None:
            raise OfficeError(404, "not_found")  # news photos are served by the news pages
        record = session.get(CareRecord, stored.record_id)
        assert record is not None
        visible_child(current, session, record.child_id)
        content = stored.jpeg
    current.audit(
        "view_care_photo", school_id=current.school.id, subject=f"child:{record.child_id}", photo=photo_id
    )
    return jpeg_response(content)


def jpeg_response(content: bytes) -> Response:
    return Response(
        content,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
