"""Signing in and out, the language switch, and one's own account.

Before sign-in there is no session to derive a CSRF token from, so the sign-in form carries a random
token that must match a cookie set with the form (double submit): another site cannot make a browser
sign in to an account of the attacker's choosing. After sign-in the session cookie is HttpOnly,
SameSite=Lax, limited to /office, and Secure whenever the page came over HTTPS.
"""

from __future__ import annotations

import hmac
import math
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync.server.i18n import CATALOGUES, translate
from sync.server.models import OfficeRole, OfficeUser
from sync.server.office import audit
from sync.server.office.accounts import login_throttle, sessions, users
from sync.server.office.accounts.users import AccountError
from sync.server.web.context import (
    LANG_COOKIE,
    SESSION_COOKIE,
    CurrentViewer,
    FormViewer,
    LoginRequired,
    OfficeError,
    client_address,
    database_of,
    locale_for,
    viewer,
)
from sync.server.web.render import anonymous_page, page

router = APIRouter()
LOGIN_COOKIE = "liushou_login"
_COOKIE_PATH = "/office"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _set_session_cookie(response: Response, request: Request, cookie: str) -> None:
    """No max-age: the browser forgets it when closed; the server ends it after idle or 12 hours."""
    response.set_cookie(
        SESSION_COOKIE, cookie, path=_COOKIE_PATH, httponly=True, samesite="lax", secure=_secure(request)
    )


def safe_next(target: str | None) -> str:
    """Only a page of this app: never another site (an open redirect would help phishing)."""
    if target and target.startswith("/office/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/office/"


@router.get("/login")
def login_form(request: Request, next: str = "", lang: str = "") -> Response:
    try:
        viewer(request)
        return RedirectResponse(safe_next(next), status_code=303)
    except LoginRequired:
        pass
    locale = lang if lang in CATALOGUES else locale_for(request, None)
    return _login_page(request, locale, next=safe_next(next), lang=lang if lang in CATALOGUES else None)


def _login_page(
    request: Request,
    locale: str,
    *,
    next: str,
    status: int = 200,
    problem: str | None = None,
    username: str = "",
    lang: str | None = None,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = anonymous_page(
        locale, "login.html", status, login_token=token, next=next, problem=problem, username=username
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    if lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path=_COOKIE_PATH, samesite="lax")
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=users.MAX_PASSWORD_LENGTH)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    locale = locale_for(request, None)
    expected = request.cookies.get(LOGIN_COOKIE)
    if not expected or not login_token or not hmac.compare_digest(expected, login_token):
        raise OfficeError(403, "csrf")
    if "\x00" in username + next:
        problem = translate(locale, "error.bad_character")
        return _login_page(request, locale, next="/office/", status=400, problem=problem)
    name = users.normalise_username(username)[:40]
    address = client_address(request)
    limits = login_throttle.limits_for(name, address)
    database = database_of(request)
    with database.writes() as session:  # short: the attempt counted before its password is checked
        counted = login_throttle.reserve(session, limits)
        user = users.find_user(session, name)
        session.commit()
    if isinstance(counted, login_throttle.Refused):
        problem = _refusal(locale, counted, database.clock.now())
        return _login_page(request, locale, next=safe_next(next), status=429, problem=problem, username=name)
    right = users.verify_password(user, password)  # slow on purpose, so outside any transaction
    actor = audit.Actor(user, address)
    with database.writes() as session:
        if not right:
            if user is not None:
                audit.record(session, actor, "sign_in_failed", school_id=user.school_id)
                for scope, until in counted.engaged:
                    audit.record(
                        session, actor, "sign_in_locked", school_id=user.school_id,
                        subject=f"user:{user.id}", scope=scope.value, until=until, address=address,
                    )  # fmt: skip
            session.commit()
            problem = translate(locale, "login.failed")
            return _login_page(
                request, locale, next=safe_next(next), status=401, problem=problem, username=name
            )
        assert user is not None
        login_throttle.give_back(session, limits)
        login_throttle.forget_stale(session)
        cookie = sessions.start(session, user)
        audit.record(session, actor, "sign_in", school_id=user.school_id)
        session.commit()
    response = RedirectResponse(safe_next(next) if next else _home_of(user), status_code=303)
    _set_session_cookie(response, request, cookie)
    response.delete_cookie(LOGIN_COOKIE, path=_COOKIE_PATH)
    return response


def _refusal(locale: str, refused: login_throttle.Refused, now: datetime) -> str:
    """Why the attempt was not even checked, and how long to wait, in the reader's words."""
    seconds = max(1, math.ceil((refused.until - now).total_seconds()))
    if refused.scope is login_throttle.Scope.ACCOUNT:
        return translate(locale, "login.slowed", seconds=seconds)
    key = "login.locked_here" if refused.scope is login_throttle.Scope.PAIR else "login.address_locked"
    return translate(locale, key, minutes=math.ceil(seconds / 60))


@router.post("/logout")
def logout(request: Request, current: FormViewer) -> Response:
    with current.writing() as session:
        sessions.end(session, request.cookies.get(SESSION_COOKIE))
        current.audit("sign_out", session=session, school_id=current.user.school_id)
    response = RedirectResponse("/office/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=_COOKIE_PATH)
    return response


@router.get("/")
def home(current: CurrentViewer) -> Response:
    return RedirectResponse(_home_of(current.user), status_code=303)


def _home_of(user: OfficeUser) -> str:
    if user.role is OfficeRole.BUREAU_VIEWER:
        return "/office/county"
    return f"/office/s/{user.school_id}/"


@router.post("/lang")
def switch_language(
    current: FormViewer,
    locale: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if locale not in CATALOGUES:
        raise OfficeError(400, "bad_request")
    with current.writing() as session:
        user = session.get(OfficeUser, current.user.id)
        assert user is not None
        user.locale = locale
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, path=_COOKIE_PATH, samesite="lax")
    return response


@router.get("/account")
def account(current: CurrentViewer, changed: bool = False) -> Response:
    return page(current, "account.html", changed=changed, problem=None)


@router.post("/account/password")
def change_password(
    request: Request,
    current: FormViewer,
    old_password: Annotated[str, Form(max_length=users.MAX_PASSWORD_LENGTH)],
    new_password: Annotated[str, Form(max_length=users.MAX_PASSWORD_LENGTH)],
    repeat_password: Annotated[str, Form(max_length=users.MAX_PASSWORD_LENGTH)],
) -> Response:
    with current.writing() as session:
        user = session.get(OfficeUser, current.user.id)
        assert user is not None
        problem = None
        if not users.verify_password(user, old_password):
            problem = "login.failed"
        elif new_password != repeat_password:
            problem = "account.mismatch"
        else:
            try:
                users.set_password(session, user, new_password)
            except AccountError as exc:
                problem = f"account.{exc.code}"
        if problem is not None:
            return page(current, "account.html", 400, changed=False, problem=current.t(problem))
        sessions.end_all_for(session, user)
        cookie = sessions.start(session, user)
        current.audit("password_changed", session=session, school_id=user.school_id)
    response = RedirectResponse("/office/account?changed=1", status_code=303)
    _set_session_cookie(response, request, cookie)
    return response
