"""The school administrator's own pages: office users of the school, the school's rules (settings),
and erasing the personal data of children who left long enough ago."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from db.enums import ContactCadence
from sync.server.core.clock import now_of
from sync.server.core.school_settings import SchoolSettings, settings_of, updated_settings
from sync.server.models import OfficeRole, OfficeUser
from sync.server.office import erasure
from sync.server.office.accounts import login_throttle, sessions, users
from sync.server.office.accounts.users import AccountError
from sync.server.web.context import Manager, ManagerForm, OfficeError, SchoolViewer
from sync.server.web.forms import value
from sync.server.web.pages.children import today_of
from sync.server.web.render import page

router = APIRouter()
SCHOOL_ROLES = (OfficeRole.SCHOOL_STAFF, OfficeRole.SCHOOL_ADMIN)


def _users_page(current: SchoolViewer, status: int = 200, **extra: object) -> Response:
    with current.reading() as session:
        found = users.users_of(session, current.school.id)
        lockouts = login_throttle.lockouts_of(session, [user.username for user in found])
    defaults: dict[str, object] = {"problem": None, "shown_password": None, "shown_for": None}
    return page(
        current,
        "users.html",
        status,
        users=found,
        lockouts=lockouts,
        roles=SCHOOL_ROLES,
        **(defaults | extra),
    )


@router.get("/s/{school_id}/users")
def user_list(current: Manager) -> Response:
    return _users_page(current)


@router.post("/s/{school_id}/users")
def create_user(current: ManagerForm) -> Response:
    form = current.fields
    role_text = value(form, "role")
    if role_text not in {r.value for r in SCHOOL_ROLES}:
        raise OfficeError(400, "bad_request")
    password = users.temporary_password()
    try:
        with current.writing() as session:
            user = users.create_user(
                session,
                username=value(form, "username"),
                display_name=value(form, "display_name"),
                password=password,
                role=OfficeRole(role_text),
                school_id=current.school.id,
                may_view_children=form.get("may_view_children") == "on",
            )
            user.must_change_password = True  # the password shown once is for the first sign-in only
            current.audit(
                "user_created", session=session, school_id=current.school.id, subject=f"user:{user.id}"
            )
    except AccountError as problem:
        return _users_page(current, 400, problem=problem.code)
    return _users_page(current, shown_password=password, shown_for=user.username)


@router.post("/s/{school_id}/users/{user_id}")
def change_user(user_id: uuid.UUID, current: ManagerForm) -> Response:
    """Enable or disable, allow or stop seeing children, mark or unmark a counsellor (心理咨询老师, who
    alone reads counselling records), reset the password (shown once), or lift the sign-in lockouts of
    the account (from every address) and its slowdown."""
    action = value(current.fields, "action")
    shown = None
    with current.writing() as session:
        user = current.owned(session, OfficeUser, user_id)
        if action == "unlock":
            addresses = login_throttle.lift(session, user.username)
            current.audit(
                "sign_in_unlocked",
                session=session,
                school_id=current.school.id,
                subject=f"user:{user.id}",
                addresses=addresses,
            )
            return RedirectResponse(f"/office/s/{current.school.id}/users", status_code=303)
        if user.id == current.user.id and action in ("disable", "reset"):
            return _users_page(current, 400, problem="not_yourself")
        if action == "disable":
            user.active = False
            sessions.end_all_for(session, user)
        elif action == "enable":
            user.active = True
        elif action == "children_on":
            user.may_view_children = True
        elif action == "children_off" and user.role is OfficeRole.SCHOOL_STAFF:
            user.may_view_children = False
        elif action in ("counsellor_on", "counsellor_off"):
            user.counsellor = action == "counsellor_on"
        elif action == "reset":
            shown = users.temporary_password()
            user.password_hash = users.hash_password(shown)
            user.password_changed_at = now_of(session)
            user.must_change_password = True
            sessions.end_all_for(session, user)
        else:
            raise OfficeError(400, "bad_request")
        current.audit(
            f"user_{action}", session=session, school_id=current.school.id, subject=f"user:{user.id}"
        )
        name = user.username
    if shown:
        return _users_page(current, shown_password=shown, shown_for=name)
    return RedirectResponse(f"/office/s/{current.school.id}/users", status_code=303)


@router.get("/s/{school_id}/settings")
def settings_page(current: Manager, saved: bool = False) -> Response:
    return page(
        current,
        "settings.html",
        settings=settings_of(current.school),
        cadences=list(ContactCadence),
        saved=saved,
        problems={},
    )


@router.post("/s/{school_id}/settings")
def save_settings(current: ManagerForm) -> Response:
    form = current.fields
    changes: dict[str, object] = {}
    for name in SchoolSettings.model_fields:
        if name in form:
            text = value(form, name).strip()
            changes[name] = None if name == "pupils_total" and not text else text
    try:
        with current.writing() as session:
            school = session.get(type(current.school), current.school.id)
            assert school is not None
            updated_settings(school, changes)
            current.audit("settings_changed", session=session, school_id=school.id, keys=sorted(changes))
    except ValidationError as exc:
        problems = {str(err["loc"][0]): err["msg"] for err in exc.errors() if err["loc"]}
        return page(
            current,
            "settings.html",
            400,
            settings=settings_of(current.school),
            cadences=list(ContactCadence),
            saved=False,
            problems=problems,
        )
    return RedirectResponse(f"/office/s/{current.school.id}/settings?saved=1", status_code=303)


@router.get("/s/{school_id}/erasure")
def erasure_page(current: Manager, erased: int | None = None) -> Response:
    settings = settings_of(current.school)
    with current.reading() as session:
        due = erasure.due(session, current.school.id, settings, today_of(current))
    if due:
        current.audit("view_erasure_list", school_id=current.school.id, shown=len(due))
    return page(current, "erasure.html", due=due, settings=settings, erased=erased)


@router.post("/s/{school_id}/erasure")
def erase(current: ManagerForm) -> Response:
    form = current.fields
    if form.get("confirm") != "on":
        raise OfficeError(400, "confirm_needed")
    try:
        chosen = {uuid.UUID(str(v)) for v in form.getlist("child_id")}
    except ValueError:
        raise OfficeError(400, "bad_request") from None
    settings = settings_of(current.school)
    with current.writing() as session:
        count = erasure.erase(session, current.school.id, chosen, settings, today_of(current))
        current.audit(
            "personal_data_erased",
            session=session,
            school_id=current.school.id,
            children=sorted(map(str, chosen)),
            count=count,
        )
    erasure.scrub_files(current.database.engine)
    return RedirectResponse(f"/office/s/{current.school.id}/erasure?erased={count}", status_code=303)
