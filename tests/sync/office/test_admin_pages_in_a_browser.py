"""The school administrator's own pages in a real browser (headless Chromium): the users page with an
account locked out by wrong passwords from another computer — the lockout and the slowdown in its
row, 解除锁定 lifting both — at 1366×768 with every item of the menu in sight, and the administrator's
pages on a 390×844 phone, where a table wider than the phone scrolls in its box and the page itself
stays the phone's width.

Screenshots go to artifacts/screenshots/admin/; one backend is enough (the pages are the same).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.server.models import OfficeRole
from tests.support.processes import REPO
from tests.sync.conftest import Central
from tests.sync.office.axe import SERIOUS, violations
from tests.sync.office.chromium import launched, needs_chromium
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.test_sign_in_lockouts import computer

pytest.importorskip("playwright.sync_api")
SHOTS = REPO / "artifacts" / "screenshots" / "admin"
pytestmark = [
    pytest.mark.slow,
    needs_chromium,
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as chromium:
        yield chromium


def _signed_in(browser, server, admin, size: tuple[int, int]):  # noqa: ANN202 - a Playwright page
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(server.url + "/office/")
    tab.fill("#username", admin.username)
    tab.fill("#password", admin.password)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/office/s/**")
    return tab


def _shot(tab, name: str) -> list:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return [v for v in violations(tab, name) if v.impact in SERIOUS]


def test_the_administrator_sees_a_lockout_and_lifts_it_and_the_pages_fit_a_phone(
    browser, server, central: Central, office_school: OfficeSchool, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the browser walk runs once; the lockout tests cover both databases")
    teacher = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    attacker = computer(server, "127.0.0.41")
    base = server.url + office_school.base
    found = []

    desk = _signed_in(browser, server, office_school.admin, (1366, 768))
    try:
        # The guesses come once the administrator is in: the account's slowdown lasts 5 s from the
        # last wrong one, and a busy machine's browser sign-in (argon2) can take longer than that.
        for _ in range(5):
            assert attacker.login(teacher.username, "wrong password", expect_ok=False).status == 401
        desk.goto(base + "/users")
        out_of_sight = desk.eval_on_selector_all(
            ".school-nav a",
            "links => links.filter(a => a.getBoundingClientRect().right > innerWidth).map(a => a.innerText)",
        )
        assert out_of_sight == [], f"the menu at 1366 px hides {out_of_sight} past the window's edge"
        row = desk.locator("table[data-table='users'] tr", has_text=teacher.username)
        held = row.locator(".lockout").all_inner_texts()
        assert any("127.0.0.41" in text and "锁定到" in text for text in held), held
        assert any("账号减速到" in text for text in held), held
        found += _shot(desk, "users-with-a-lockout-1366")
        row.locator("button[value=unlock]").click()
        desk.wait_for_url("**/users")
        assert row.locator(".lockout").count() == 0 and row.locator("button[value=unlock]").count() == 0
        found += _shot(desk, "users-lifted-1366")
    finally:
        desk.context.close()
    computer(server, "127.0.0.41").login(teacher.username, teacher.password)  # in again, from there too

    for _ in range(5):  # locked again, to see the lockout's row on the phone
        attacker.login(teacher.username, "wrong password", expect_ok=False)
    phone = _signed_in(browser, server, office_school.admin, (390, 844))
    try:
        for page in ("users", "kiosks", "conflicts", "classes", "erasure"):
            phone.goto(f"{base}/{page}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            found += _shot(phone, f"{page}-390")
            assert width <= 390, f"the {page} page is {width} px wide on a 390 px phone"
    finally:
        phone.context.close()
    assert found == [], "\n".join(map(str, found))
