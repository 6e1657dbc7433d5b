"""Fixtures for the school office tests: a school on the real server with its classes, office users of
each role, and clients that sign in as them over HTTP."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import distinct, select, update

from sync.server.models import CENTRAL_MODELS, CentralChild, OfficeRole
from sync.server.office import schools
from sync.server.office.accounts import users
from tests.sync.conftest import Central, SchoolRef
from tests.sync.office.officeclient import OfficeClient

PASSWORD = "夜来风雨声-花落知多少"
_names = itertools.count(1)


@dataclass(frozen=True)
class OfficeUser:
    username: str
    password: str
    id: uuid.UUID


@dataclass(frozen=True)
class OfficeSchool:
    ref: SchoolRef
    admin: OfficeUser

    @property
    def id(self) -> uuid.UUID:
        return self.ref.id

    @property
    def base(self) -> str:
        return f"/office/s/{self.ref.id}"


def add_user(
    central: Central,
    role: OfficeRole,
    *,
    school_id: uuid.UUID | None = None,
    county_id: uuid.UUID | None = None,
    may_view_children: bool = False,
) -> OfficeUser:
    name = f"{role.value.split('_')[-1]}{next(_names)}-{uuid.uuid4().hex[:6]}"
    with central.edit() as session:
        user = users.create_user(
            session,
            username=name,
            display_name=f"测试{name[:8]}",
            password=PASSWORD,
            role=role,
            school_id=school_id,
            county_id=county_id,
            may_view_children=may_view_children,
        )
        return OfficeUser(user.username, PASSWORD, user.id)


def classes_from_children(central: Central, school_id: uuid.UUID) -> list[str]:
    """The demo roster's classes, made known to the school (a real school enters its classes)."""
    with central.edit() as session:
        found = session.execute(
            select(distinct(CentralChild.class_name), CentralChild.grade).where(
                CentralChild.school_id == school_id
            )
        ).all()
        have = {c.name for c in schools.classes_of(session, school_id, active_only=False)}
        for name, grade in found:
            if name not in have:  # import-demo makes them; an older school may lack some
                schools.add_class(session, school_id, name, grade)
        return sorted(name for name, _ in found)


def a_school_from_last_term(central: Central, name: str) -> SchoolRef:
    """A demo school with its classes, whose roster and catalogue were loaded months ago: a kiosk's
    weeks of facts (dated in the past) then come after the centre's rows, as in a real term."""
    ref = central.new_school(name)
    classes_from_children(central, ref.id)
    with central.edit() as session:
        for model in CENTRAL_MODELS.values():
            session.execute(
                update(model)
                .where(model.school_id == ref.id)
                .values(changed_at=datetime.now(UTC) - timedelta(days=90))
            )
    return ref


@pytest.fixture
def office_school(central: Central) -> OfficeSchool:
    ref = central.new_school("阳光小学")
    classes_from_children(central, ref.id)
    return OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))


@pytest.fixture
def client(server) -> Callable[[OfficeUser | None], OfficeClient]:
    def make(user: OfficeUser | None = None) -> OfficeClient:
        browser = OfficeClient(server.url)
        if user is not None:
            browser.login(user.username, user.password)
        return browser

    return make
