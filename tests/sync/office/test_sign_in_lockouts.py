"""Signing in to the office when someone else keeps typing wrong passwords: what is locked, for whom,
for how long, and who lifts it. Tried over HTTP against the real server from several loopback
addresses (127.0.0.x), each standing for another computer of the school's LAN.

Time passing is the throttle's stored times moved back (the server runs on the real clock): as if the
attacker's minutes had gone by, without the test waiting for them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from requests.adapters import HTTPAdapter
from sqlalchemy import DateTime, select

from sync.server.models import AuditEntry, LoginThrottle, OfficeRole
from tests.sync.conftest import Central
from tests.sync.office.conftest import PASSWORD, OfficeSchool, add_user
from tests.sync.office.officeclient import OfficeClient


class FromAddress(HTTPAdapter):
    """Connections from one loopback address: Linux routes all of 127.0.0.0/8 to this machine."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def computer(server, address: str, *, lang: str | None = None) -> OfficeClient:
    """A browser on another computer of the school's network."""
    browser = OfficeClient(server.url)
    browser.http.mount("http://", FromAddress(address))
    if lang is not None:
        browser.http.cookies.set("lang", lang, path="/office")
    return browser


def time_passes(central: Central, delta: timedelta) -> None:
    """Every time the sign-in throttle keeps moves `delta` into the past."""
    stamps = [
        c.name
        for c in LoginThrottle.__table__.columns
        if isinstance(getattr(c.type, "impl", c.type), DateTime)
    ]
    assert stamps
    with central.edit() as session:
        for row in session.scalars(select(LoginThrottle)):
            for name in stamps:
                value = getattr(row, name)
                if isinstance(value, datetime):
                    setattr(row, name, value - delta)


def audit_actions(central: Central, school_id: uuid.UUID, subject: str) -> list[AuditEntry]:
    with central.db.reads() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.school_id == school_id, AuditEntry.subject == subject)
                .order_by(AuditEntry.at)
            )
        )


def test_five_wrong_passwords_from_one_computer_do_not_keep_the_owner_out(
    central: Central, office_school: OfficeSchool, server
) -> None:
    name = office_school.admin.username
    attacker = computer(server, "127.0.0.2")
    owner = computer(server, "127.0.0.3")
    for _ in range(5):
        assert attacker.login(name, "wrong password", expect_ok=False).status == 401
    locked = attacker.login(name, PASSWORD, expect_ok=False)  # even the right one, from there
    assert (
        locked.status == 429
        and "这台电脑" in locked.text
        and "管理员" in locked.text
        and "解除锁定" in locked.text
    )
    slowed = owner.login(name, PASSWORD, expect_ok=False)
    assert slowed.status == 429 and "秒后再试" in slowed.text  # the whole account slows down …

    for _ in range(30):  # … while the attacker goes on trying, once a minute, for half an hour
        time_passes(central, timedelta(minutes=1))
        attacker.login(name, "another wrong password", expect_ok=False)
    time_passes(central, timedelta(minutes=2))
    owner.login(name, PASSWORD)  # the right password from another computer gets in
    with central.db.reads() as session:  # the attacker's count for the account outlives her success
        attackers = session.get(LoginThrottle, f"pair:{name}@127.0.0.2")
    assert attackers is not None and attackers.failures >= 8  # four more counted in half an hour


def test_refusals_are_said_in_english_too(central: Central, office_school: OfficeSchool, server) -> None:
    name = office_school.admin.username
    attacker = computer(server, "127.0.0.6", lang="en")
    for _ in range(5):
        assert "wrong" in attacker.login(name, "wrong password", expect_ok=False).text.lower()
    locked = attacker.login(name, PASSWORD, expect_ok=False)
    assert locked.status == 429 and "this computer" in locked.text and "administrator" in locked.text
    slowed = computer(server, "127.0.0.7", lang="en").login(name, PASSWORD, expect_ok=False)
    assert slowed.status == 429 and "seconds" in slowed.text


def test_the_school_administrator_lifts_a_lockout_and_both_are_audited(
    central: Central, office_school: OfficeSchool, server
) -> None:
    colleague = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    shared_pc = computer(server, "127.0.0.4")
    for _ in range(5):
        shared_pc.login(colleague.username, "forgot it", expect_ok=False)
    assert shared_pc.login(colleague.username, colleague.password, expect_ok=False).status == 429

    admin = computer(server, "127.0.0.5")
    admin.login(office_school.admin.username, PASSWORD)
    users = admin.get(f"{office_school.base}/users").table("users")
    row = next(r for r in users if r and r[0] == colleague.username)
    assert "127.0.0.4" in " ".join(row) and "锁定" in " ".join(row)

    staff_browser = computer(server, "127.0.0.8")
    other = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    staff_browser.login(other.username, other.password)
    assert (
        staff_browser.post(f"{office_school.base}/users/{colleague.id}", {"action": "unlock"}).status == 403
    )

    lifted = admin.post(f"{office_school.base}/users/{colleague.id}", {"action": "unlock"})
    assert lifted.status == 200
    shared_pc.login(colleague.username, colleague.password)  # in at once, from the same computer

    actions = [e.action for e in audit_actions(central, office_school.id, f"user:{colleague.id}")]
    assert "sign_in_locked" in actions and actions[-1] == "sign_in_unlocked"
    shown = admin.get(f"{office_school.base}/audit").table("audit")
    assert {"登录被锁定", "解除登录锁定"} <= {r[2] for r in shown[1:]}


def test_the_lockouts_are_kept_in_the_database(central: Central, office_school: OfficeSchool, server) -> None:
    name = office_school.admin.username
    attacker = computer(server, "127.0.0.9")
    for _ in range(5):
        attacker.login(name, "wrong password", expect_ok=False)
    with central.db.reads() as session:
        keys = set(session.scalars(select(LoginThrottle.key)))
    assert any("127.0.0.9" in k and name in k for k in keys)  # the pair: this account from there


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "password12",
        "qwertyuiop",
        "woaini1314520",
        "1qaz2wsx3edc",
        "iloveyou2026",
        "Aa123456789",
    ],
)
def test_common_and_breached_passwords_are_a_form_error(
    central: Central, office_school: OfficeSchool, server, password: str
) -> None:
    user = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    browser = computer(server, "127.0.1.1")
    browser.login(user.username, user.password)
    browser.get("/office/account")
    page = browser.post(
        "/office/account/password",
        {"old_password": user.password, "new_password": password, "repeat_password": password},
    )
    assert page.status == 400 and "常见" in page.text, page.text[-2000:]


def test_the_users_and_the_schools_names_are_refused_in_a_password(
    central: Central, office_school: OfficeSchool, server
) -> None:
    user = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    browser = computer(server, "127.0.1.2")
    browser.login(user.username, user.password)
    with central.db.reads() as session:
        from sync.server.models import OfficeUser

        display = session.get(OfficeUser, user.id).display_name
    for password, word in (
        (f"阳光小学-秋天的{display[:2]}早上", "学校"),
        (f"{display}-欢迎来到留守儿童之家", "姓名"),
    ):
        browser.get("/office/account")
        page = browser.post(
            "/office/account/password",
            {"old_password": user.password, "new_password": password, "repeat_password": password},
        )
        assert page.status == 400 and word in page.text, password
    english = computer(server, "127.0.1.3")
    english.login(user.username, user.password)
    english.get("/office/account")
    english.post("/office/lang", {"locale": "en", "next": "/office/account"})
    page = english.post(
        "/office/account/password",
        {"old_password": user.password, "new_password": "password12", "repeat_password": "password12"},
    )
    assert page.status == 400 and "common" in page.text
    good = "夜来风雨声-花落知多少-2026"
    browser.get("/office/account")
    done = browser.post(
        "/office/account/password",
        {"old_password": user.password, "new_password": good, "repeat_password": good},
    )
    assert done.status == 200 and "changed=1" in done.url  # (the user reads English now)
    computer(server, "127.0.1.4").login(user.username, good)
