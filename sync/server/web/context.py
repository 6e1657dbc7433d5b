"""What every office page handler receives: the database, the signed-in user, their locale, their CSRF
token, and — for a page of one school — that school and the user's rights in it.

Dependencies, in the order FastAPI resolves them:
- `viewer`: a signed-in user or a redirect to the sign-in page;
- `form_viewer`: the same for a form post, which must carry this session's CSRF token (a missing one,
  or one from an earlier session, is refused with 403 before the handler runs);
- `ReportReader`, `ChildReader`, `CatalogueReader`, `Exporter`, `PersonalExporter`, `Manager`,
  `AuditReader`, `Carer`, `Counsellor` (pages) and `ManagerForm`, `CarerForm`, `CounsellorForm`
  (posts): the school in the path, 404 when the user may not open it, 403 when they may open it but
  lack the right the name says.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sync.server.core.database import CentralDatabase
from sync.server.i18n import pick_locale, translate
from sync.server.models import School
from sync.server.office import audit
from sync.server.office.accounts import sessions
from sync.server.office.accounts.access import Right, rights_in
from sync.server.office.accounts.sessions import SignedIn

R = TypeVar("R")
SESSION_COOKIE = "liushou_office"
LANG_COOKIE = "lang"


class OfficeError(Exception):
    """A refusal shown as a page: `code` is an i18n key under "error."."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


class LoginRequired(Exception):
    pass


class PasswordChangeRequired(Exception):
    """Signed in with a temporary password: every page but the account's leads there first."""


# What a user with a temporary password may still reach: choosing their own, leaving, the language.
_BEFORE_OWN_PASSWORD = ("/office/account", "/office/logout", "/office/lang")


@dataclass
class Viewer:
    request: Request
    database: CentralDatabase
    signed_in: SignedIn
    locale: str
    form: FormData | None = None  # a form post's fields, read (and CSRF-checked) before the handler

    @property
    def user(self) -> Any:
        return self.signed_in.user

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(self.user, client_address(self.request))

    def t(self, key: str, **values: Any) -> str:
        return translate(self.locale, key, **values)

    def now(self) -> datetime:
        """Now, as the server's clock says (the one its database sessions carry)."""
        return self.database.clock.now()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.database.reads() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an exception."""
        with self.database.writes() as session:
            yield session
            session.commit()

    def audit(
        self,
        action: str,
        *,
        school_id: uuid.UUID | None,
        subject: str | None = None,
        session: Session | None = None,
        **detail: Any,
    ) -> None:
        """The page's one way to the audit log (sync.server.office.audit): within the page's own write
        transaction when it has one (`session`), so the entry and the change commit together; in a
        transaction of its own for a page that only reads (a view of a child's record)."""
        if session is not None:
            audit.record(session, self.actor, action, school_id=school_id, subject=subject, **detail)
            return
        with self.writing() as own:
            audit.record(own, self.actor, action, school_id=school_id, subject=subject, **detail)


@dataclass
class SchoolViewer(Viewer):
    school: School = field(default=None)  # type: ignore[assignment]
    rights: frozenset[Right] = frozenset()

    @property
    def fields(self) -> FormData:
        """The posted form (only form handlers, which the CSRF check ran for, have one)."""
        assert self.form is not None
        return self.form

    def owned(self, session: Session, model: type[R], ident: Any) -> R:
        """A row of this school, or "not found": another school's id is answered exactly like a guess."""
        row = session.get(model, ident)
        if row is None or getattr(row, "school_id", None) != self.school.id:
            raise OfficeError(404, "not_found")
        return row

    def can(self, right: Right) -> bool:
        return right in self.rights

    def require(self, right: Right) -> None:
        if right not in self.rights:
            raise OfficeError(403, "forbidden")


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def database_of(request: Request) -> CentralDatabase:
    return request.app.state.database  # type: ignore[no-any-return]


def locale_for(request: Request, saved: str | None) -> str:
    return pick_locale(saved, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def viewer(request: Request) -> Viewer:
    database = database_of(request)
    with database.reads() as session:
        outcome = sessions.check(session, request.cookies.get(SESSION_COOKIE))
    if outcome.touch or outcome.drop:
        with database.writes() as session:
            sessions.apply_check(session, outcome)
            session.commit()
    if outcome.signed_in is None:
        raise LoginRequired()
    signed = outcome.signed_in
    if signed.user.must_change_password and not request.url.path.startswith(_BEFORE_OWN_PASSWORD):
        raise PasswordChangeRequired()
    return Viewer(request, database, signed, locale_for(request, signed.user.locale))


async def form_viewer(request: Request) -> Viewer:
    current = await run_in_threadpool(viewer, request)  # the database is not the event loop's business
    form = await request.form()
    submitted = form.get("csrf_token")
    if not sessions.csrf_matches(
        current.signed_in.csrf_token, submitted if isinstance(submitted, str) else None
    ):
        raise OfficeError(403, "csrf")
    if any(_has_nul(field) for field in form.values()):
        raise OfficeError(400, "bad_character")  # PostgreSQL cannot store it, a file name cannot hold it
    current.form = form
    return current


def _has_nul(field: object) -> bool:
    text = field if isinstance(field, str) else getattr(field, "filename", None)
    return isinstance(text, str) and "\x00" in text


def _school_viewer(current: Viewer, school_id: uuid.UUID, right: Right) -> SchoolViewer:
    with current.reading() as session:
        rights = rights_in(session, current.user, school_id)
        school = session.get(School, school_id) if rights is not None else None
    if rights is None or school is None:
        raise OfficeError(404, "not_found")
    page = SchoolViewer(
        current.request, current.database, current.signed_in, current.locale, current.form, school, rights
    )
    page.require(right)
    return page


def _school_page(right: Right) -> Any:
    def dependency(school_id: uuid.UUID, current: Annotated[Viewer, Depends(viewer)]) -> SchoolViewer:
        return _school_viewer(current, school_id, right)

    return Depends(dependency)


def _school_form(right: Right) -> Any:
    def dependency(school_id: uuid.UUID, current: Annotated[Viewer, Depends(form_viewer)]) -> SchoolViewer:
        return _school_viewer(current, school_id, right)

    return Depends(dependency)


# A handler names the right it needs by the type of its `current` parameter.
ReportReader = Annotated[SchoolViewer, _school_page(Right.READ_REPORTS)]
ChildReader = Annotated[SchoolViewer, _school_page(Right.SEE_CHILDREN)]
CatalogueReader = Annotated[SchoolViewer, _school_page(Right.SEE_CATALOGUE)]
Exporter = Annotated[SchoolViewer, _school_page(Right.EXPORT)]
PersonalExporter = Annotated[SchoolViewer, _school_page(Right.EXPORT_PERSONAL)]
Manager = Annotated[SchoolViewer, _school_page(Right.MANAGE)]
AuditReader = Annotated[SchoolViewer, _school_page(Right.READ_AUDIT)]
ManagerForm = Annotated[SchoolViewer, _school_form(Right.MANAGE)]
Carer = Annotated[SchoolViewer, _school_page(Right.CARE)]
CarerForm = Annotated[SchoolViewer, _school_form(Right.CARE)]
Counsellor = Annotated[SchoolViewer, _school_page(Right.COUNSEL)]
CounsellorForm = Annotated[SchoolViewer, _school_form(Right.COUNSEL)]
CurrentViewer = Annotated[Viewer, Depends(viewer)]
FormViewer = Annotated[Viewer, Depends(form_viewer)]
