"""What the server believes about where a request came from, what it tells browsers about HTTPS, and
what it answers when a field holds a NUL: tried against real server processes.

- `X-Forwarded-For` (and `-Proto`) count only from the addresses given to `serve --forwarded-allow-ips`
  (a TLS proxy on the same machine); from anyone else, or when nothing was given, they are ignored, so
  nobody writes an address of their choice into the audit log or dodges a lockout with one.
- Under TLS every answer carries `Strict-Transport-Security`.
- A NUL in a query or a form field is a refusal in the user's language, never a 500 (PostgreSQL cannot
  store one; a file name cannot hold one).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import select

from sync.server.bootstrap import open_central
from sync.server.models import AuditEntry, OfficeRole
from sync.server.office import schools
from tests.support.processes import ServerProcess, self_signed_certificate
from tests.sync.conftest import Central
from tests.sync.office.conftest import PASSWORD, OfficeSchool, add_user
from tests.sync.office.officeclient import OfficeClient
from tests.sync.office.test_access import SCHOOL_GETS, SCHOOL_POSTS, a_child_of, fill
from tests.sync.office.test_sign_in_lockouts import computer

FORGED = "203.0.113.7"


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Central]]:
    """A server told that a TLS proxy on this machine (127.0.0.1) speaks for the browsers."""
    folder = tmp_path_factory.mktemp("behind-proxy")
    server = ServerProcess(
        f"sqlite:///{folder / 'central.sqlite3'}",
        folder / "server.log",
        serve_args=["--forwarded-allow-ips", "127.0.0.1"],
    ).start()
    central = Central(open_central(server.database_url, migrate=False))
    yield server, central
    central.db.engine.dispose()
    server.stop()


def failed_sign_in_addresses(central: Central, user_id) -> list[str | None]:
    with central.db.reads() as session:
        return list(
            session.scalars(
                select(AuditEntry.address)
                .where(AuditEntry.user_id == user_id, AuditEntry.action == "sign_in_failed")
                .order_by(AuditEntry.at)
            )
        )


def wrong_password(server: ServerProcess, username: str, address: str, headers: dict[str, str]) -> int:
    browser = computer(server, address)
    browser.http.headers.update(headers)
    return browser.login(username, "not the password", expect_ok=False).status


def test_forwarded_headers_are_ignored_unless_serve_was_told_whom_to_believe(
    central: Central, office_school: OfficeSchool, server: ServerProcess
) -> None:
    name = office_school.admin.username
    assert wrong_password(server, name, "127.0.0.1", {"X-Forwarded-For": FORGED}) == 401
    assert failed_sign_in_addresses(central, office_school.admin.id) == ["127.0.0.1"]


def test_the_trusted_proxy_names_the_browser_and_nobody_else_does(behind_a_proxy) -> None:
    server, central = behind_a_proxy
    school = central.new_school("代理后面的小学", demo=False)
    user = add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=school.id)
    assert wrong_password(server, user.username, "127.0.0.1", {"X-Forwarded-For": FORGED}) == 401
    assert wrong_password(server, user.username, "127.0.0.2", {"X-Forwarded-For": "198.51.100.1"}) == 401
    assert failed_sign_in_addresses(central, user.id) == [FORGED, "127.0.0.2"]


def test_a_forged_address_does_not_dodge_a_lockout(
    office_school: OfficeSchool, server: ServerProcess
) -> None:
    name = office_school.admin.username
    for n in range(5):
        wrong_password(server, name, "127.0.2.1", {"X-Forwarded-For": f"198.51.100.{n + 10}"})
    browser = computer(server, "127.0.2.1")
    browser.http.headers["X-Forwarded-For"] = "198.51.100.99"
    assert browser.login(name, PASSWORD, expect_ok=False).status == 429


def test_https_answers_carry_strict_transport_security(tmp_path_factory, server: ServerProcess) -> None:
    folder = tmp_path_factory.mktemp("hsts")
    tls = self_signed_certificate(folder)
    https = ServerProcess(f"sqlite:///{folder / 'central.sqlite3'}", folder / "server.log", tls=tls).start()
    try:
        for path in ("/office/login", "/v1/health", "/office/static/office.css"):
            answer = requests.get(https.url + path, verify=str(tls.cert), timeout=20)
            hsts = answer.headers.get("strict-transport-security", "")
            assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000, path
    finally:
        https.stop()
    plain = requests.get(server.url + "/office/login", timeout=20)
    assert "strict-transport-security" not in plain.headers  # a browser would ignore it over http anyway


def test_the_trusted_proxys_https_gets_strict_transport_security_and_secure_cookies(behind_a_proxy) -> None:
    server, _central = behind_a_proxy
    answer = requests.get(f"{server.url}/office/login", headers={"X-Forwarded-Proto": "https"}, timeout=20)
    assert "max-age=" in answer.headers.get("strict-transport-security", "")
    assert "Secure" in answer.headers["set-cookie"]
    untrusted = computer(server, "127.0.0.3")
    untrusted.http.headers["X-Forwarded-Proto"] = "https"
    assert "strict-transport-security" not in untrusted.http.get(f"{server.url}/office/login").headers


def test_a_nul_in_the_roster_exports_class_filter_is_refused_in_words_not_a_500(
    central: Central, office_school: OfficeSchool, client
) -> None:
    admin = client(office_school.admin)
    with central.db.reads() as session:
        klass = schools.classes_of(session, office_school.id)[0].name
    answer = admin.download(f"{office_school.base}/roster/export", klass=f"{klass}\x00", format="csv")
    assert answer.status_code == 400 and "text/html" in answer.headers["content-type"]
    assert "不能使用的字符" in answer.text  # a page in the admin's words, with the menu to go on from
    admin.get(f"{office_school.base}/")
    admin.post("/office/lang", {"locale": "en", "next": "/office/"})
    english = admin.download(f"{office_school.base}/roster/export", klass="\x00")
    assert english.status_code == 400 and "character that cannot be used" in english.text
    good = admin.download(f"{office_school.base}/roster/export", klass=klass, format="csv")
    assert good.status_code == 200 and "text/csv" in good.headers["content-type"]


NUL_FIELDS = {
    name: "一(1)班\x00"
    for name in (
        "klass", "q", "status", "kind", "period", "format", "show", "problem", "done", "kiosk", "type",
        "day", "child", "before", "action", "user", "name", "grade", "class_name", "student_no", "gender",
        "birthday",
        "guardian_type", "relation", "phone", "uid", "note", "label", "hours", "role", "username",
        "display_name", "locale", "next", "pin", "pin_again", "left_on", "effective",
    )
}  # fmt: skip


def test_no_query_or_form_field_with_a_nul_gives_a_500(
    central: Central, office_school: OfficeSchool, client
) -> None:
    admin = client(office_school.admin)
    child = a_child_of(central, office_school.id)
    for path in SCHOOL_GETS:
        url = fill(path, office_school.id, child)
        answer = admin.download(url, **NUL_FIELDS)
        assert answer.status_code != 500, url
        if answer.status_code == 400:
            assert "不能使用的字符" in answer.text, url
    for path in SCHOOL_POSTS + ["/office/lang", "/office/account/password"]:
        url = fill(path, office_school.id, child)
        admin.get(f"{office_school.base}/")  # a fresh CSRF token
        page = admin.post(url, NUL_FIELDS)
        assert page.status != 500, url
        assert page.status == 400 and "不能使用的字符" in page.text, url
    login = OfficeClient(admin.base).login(f"{office_school.admin.username}\x00", PASSWORD, expect_ok=False)
    assert login.status == 400 and "不能使用的字符" in login.text
    assert admin.get(f"{office_school.base}/").status == 200  # nothing above signed the admin out
