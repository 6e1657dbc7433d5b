"""Who may see and do what in the school office, tried over HTTP against the real server: schools stay
apart even to someone guessing ids, roles hold, every form wants this session's CSRF token, sign-in is
throttled, and the cookie and headers are what a school LAN needs."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.server.app import create_app
from sync.server.models import CentralChild, LoginThrottle, OfficeRole, OfficeUser, School
from sync.server.office import schools
from sync.server.web.pages import ROUTERS
from sync.server.web.setup import PREFIX
from tests.sync.conftest import Central
from tests.sync.office.conftest import PASSWORD, OfficeSchool, add_user
from tests.sync.office.workbooks import sheet_titles

SCHOOL_GETS = sorted(
    {
        PREFIX + route.path
        for router in ROUTERS
        for route in router.routes
        if "GET" in route.methods and "{school_id}" in route.path
    }
)
SCHOOL_POSTS = sorted(
    {
        PREFIX + route.path
        for router in ROUTERS
        for route in router.routes
        if "POST" in route.methods and "{school_id}" in route.path
    }
)
OTHER_POSTS = ["/logout", "/lang", "/account/password"]


def a_child_of(central: Central, school_id: uuid.UUID) -> uuid.UUID:
    with central.db.reads() as session:
        return session.scalars(select(CentralChild.id).where(CentralChild.school_id == school_id)).first()


def fill(path: str, school_id: uuid.UUID, child_id: uuid.UUID) -> str:
    return (
        path.replace("{school_id}", str(school_id))
        .replace("{child_id}", str(child_id))
        .replace("{slug}", "statistics")
        .replace("{import_id}", str(uuid.uuid4()))
        .replace("{class_id}", str(uuid.uuid4()))
        .replace("{device_id}", str(uuid.uuid4()))
        .replace("{conflict_id}", str(uuid.uuid4()))
        .replace("{user_id}", str(uuid.uuid4()))
    )


def test_every_page_of_another_school_is_not_found_even_with_guessed_ids(
    central: Central, office_school: OfficeSchool, client
) -> None:
    other = central.new_school("别的小学")
    their_child = a_child_of(central, other.id)
    browser = client(office_school.admin)
    assert len(SCHOOL_GETS) > 20
    for path in SCHOOL_GETS:
        page = browser.get(fill(path, other.id, their_child))
        assert page.status == 404, path
        assert "没有找到这个页面" in page.text  # the office's own page, not some other 404
        assert "别的小学" not in page.text
    # Their child under our own school's address is not found either.
    for path in [p for p in SCHOOL_GETS if "{child_id}" in p]:
        assert browser.get(fill(path, office_school.id, their_child)).status == 404, path
    for path in SCHOOL_POSTS:
        assert browser.post(fill(path, other.id, their_child), {"name": "x"}).status == 404, path


def test_a_staff_member_reads_reports_but_exports_no_personal_data_and_changes_nothing(
    central: Central, office_school: OfficeSchool, client
) -> None:
    staff = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id, may_view_children=True)
    browser = client(staff)
    base = office_school.base
    assert browser.get(f"{base}/reports/contact").status == 200
    assert "per_child" in browser.get(f"{base}/reports/contact").tables  # allowed to see names
    contact_xlsx = browser.download(f"{base}/reports/contact/export", format="xlsx")
    assert contact_xlsx.status_code == 200
    assert all("每个孩子" not in title for title in sheet_titles(contact_xlsx.content))
    for personal in ("/reports/register/export", "/roster/export", "/archive"):
        assert browser.download(base + personal).status_code == 403, personal
    for managed in (
        "/roster",
        "/kiosks",
        "/users",
        "/settings",
        "/erasure",
        "/audit",
        "/conflicts",
        "/events",
    ):
        assert browser.get(base + managed).status == 403, managed
    child = a_child_of(central, office_school.id)
    assert browser.post(f"{base}/children/{child}/deactivate", {"left_on": "2026-11-01"}).status == 403
    with central.db.reads() as session:
        assert session.get(CentralChild, child).active


def test_staff_without_the_right_to_see_children_see_no_names(
    central: Central, office_school: OfficeSchool, client
) -> None:
    staff = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    browser = client(staff)
    page = browser.get(f"{office_school.base}/reports/contact")
    assert page.status == 200 and "per_class" in page.tables and "per_child" not in page.tables
    with central.db.reads() as session:
        names = session.scalars(
            select(CentralChild.name).where(CentralChild.school_id == office_school.id)
        ).all()
    assert not any(name in page.text for name in names)
    assert browser.get(f"{office_school.base}/children").status == 403
    child = a_child_of(central, office_school.id)
    assert browser.get(f"{office_school.base}/children/{child}").status == 403


def test_a_bureau_viewer_reads_the_schools_of_its_county_only(
    central: Central, office_school: OfficeSchool, client
) -> None:
    with central.edit() as session:
        county = schools.create_county(session, "测试区教育局")
        session.get(School, office_school.id).county_id = county.id
        county_id = county.id
    elsewhere = central.new_school("外县小学")
    bureau = add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id)
    browser = client(bureau)
    overview = browser.get("/office/county")
    assert overview.status == 200 and "阳光小学" in overview.text and "外县小学" not in overview.text
    assert browser.get(f"{office_school.base}/reports/statistics").status == 200
    assert browser.get(f"{office_school.base}/children").status == 403
    assert browser.get(f"/office/s/{elsewhere.id}/reports/statistics").status == 404
    assert browser.download(f"{office_school.base}/reports/register/export").status_code == 403


@pytest.mark.parametrize("token", ["missing", "stale", "forged"])
def test_every_form_refuses_a_missing_stale_or_forged_csrf_token(
    token: str, central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    stale = browser.csrf
    browser.post("/office/logout")
    browser.login(office_school.admin.username, PASSWORD)
    assert browser.csrf != stale
    sent = {"missing": None, "stale": stale, "forged": "0" * 64}[token]
    child = a_child_of(central, office_school.id)
    for path in SCHOOL_POSTS + [f"/office{p}" for p in OTHER_POSTS]:
        url = fill(path, office_school.id, child)
        page = browser.post(url, {"left_on": "2026-11-01", "name": "改名", "locale": "en"}, csrf=sent)
        assert page.status == 403, url
        assert "表单已过期" in page.text
    with central.db.reads() as session:
        assert session.get(CentralChild, child).active
    assert browser.get(f"{office_school.base}/").status == 200  # still signed in: logout was refused too


def test_sign_in_is_throttled_and_the_lockout_grows(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(None)
    for _ in range(5):
        assert browser.login(office_school.admin.username, "wrong password", expect_ok=False).status == 401
    locked = browser.login(office_school.admin.username, PASSWORD, expect_ok=False)
    assert locked.status == 429 and "尝试次数过多" in locked.text
    pair = f"pair:{office_school.admin.username}@127.0.0.1"
    with central.db.reads() as session:
        first = session.get(LoginThrottle, pair).locked_until
    browser.login(office_school.admin.username, "wrong again", expect_ok=False)
    with central.db.reads() as session:
        row = session.get(LoginThrottle, pair)
    assert row.failures == 5 and row.locked_until == first  # refused while locked: not even checked


def test_passwords_are_stored_as_argon2id_hashes(central: Central, office_school: OfficeSchool) -> None:
    with central.db.reads() as session:
        stored = session.get(OfficeUser, office_school.admin.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_never_redirects_to_another_site(office_school: OfficeSchool, client) -> None:
    browser = client(None)
    form = browser.get("/office/login", next="//evil.example/x")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
    response = browser.http.post(
        browser.base + "/office/login",
        data={
            "username": office_school.admin.username,
            "password": PASSWORD,
            "login_token": token,
            "next": "https://evil.example/",
        },
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/office/")


def test_the_session_cookie_is_http_only_same_site_and_secure_over_https(
    central: Central, office_school: OfficeSchool
) -> None:
    for scheme, secure in (("http", False), ("https", True)):
        app = TestClient(create_app(central.db), base_url=f"{scheme}://school.lan")
        form = app.get("/office/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
        response = app.post(
            "/office/login",
            data={"username": office_school.admin.username, "password": PASSWORD, "login_token": token},
            follow_redirects=False,
        )
        cookie = next(
            v
            for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("liushou_office=")
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/office" in cookie
        assert ("Secure" in cookie) is secure


def test_office_pages_forbid_framing_scripts_from_elsewhere_and_caching(
    office_school: OfficeSchool, client
) -> None:
    page = client(office_school.admin).get(f"{office_school.base}/reports/statistics")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_the_audit_log_records_views_of_a_child_and_exports(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    child = a_child_of(central, office_school.id)
    assert browser.get(f"{office_school.base}/children/{child}").status == 200
    assert browser.download(f"{office_school.base}/reports/contact/export", format="csv").status_code == 200
    audit = browser.get(f"{office_school.base}/audit").table("audit")
    actions = [row[2] for row in audit[1:]]
    assert "查看儿童档案" in actions and "导出" in actions and "登录" in actions
    with central.db.reads() as session:
        name = session.get(CentralChild, child).name
    viewed = next(row for row in audit[1:] if row[2] == "查看儿童档案")
    assert name in viewed[3] and viewed[1] == office_school.admin.username
    staff = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id, may_view_children=True)
    assert client(staff).get(f"{office_school.base}/audit").status == 403
