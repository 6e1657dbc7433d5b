"""Every user sees only the buttons they may use: a staff member (with and without the right to see
children), the school's administrator and the bureau walk every page their menus lead to, and every
link and every GET form on each page is followed as a click would follow it (a form with its first
choices): none answers "forbidden". A form that changes something is shown only to a user who may
change it."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import select

from sync.server.models import CentralChild, OfficeRole, School
from sync.server.office import schools
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool, OfficeUser, add_user
from tests.sync.office.officeclient import OfficeClient

# Which buttons a page shows does not depend on the database: one backend keeps this walk lean.
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

# Posts any signed-in user may make: sign out, the language, their own password.
EVERYONE_POSTS = ("/office/logout", "/office/lang", "/office/account/password")


class _Clickables(HTMLParser):
    """The page's links, its GET forms (with the values a click on the button would send) and the
    actions of its POST forms."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.get_forms: list[tuple[str, dict[str, str]]] = []
        self.post_actions: list[str] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self.post_actions.append(a.get("action", ""))
            else:
                self._form = (a.get("action", ""), {})
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form[1].setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "select":
            self._select = a.get("name")
        elif self._form is not None and tag == "option" and self._select:
            self._form[1].setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.get_forms.append(self._form)
            self._form = None


def walk(browser: OfficeClient, start: str, limit: int = 400) -> tuple[dict[str, int], set[str]]:
    """Every office address reachable from `start` by links and GET forms, with its status; and every
    POST form's action seen on the way. Downloads are fetched, not parsed."""
    seen: dict[str, int] = {}
    posts: set[str] = set()
    queue = deque([start])
    while queue and len(seen) < limit:
        address = queue.popleft()
        if address in seen:
            continue
        response = browser.download(address)
        seen[address] = response.status_code
        if "text/html" not in response.headers.get("content-type", "") or response.status_code != 200:
            continue
        page = _Clickables()
        page.feed(response.text)
        found = [urljoin(response.url, link) for link in page.links]
        found += [f"{urljoin(response.url, action)}?{urlencode(values)}" for action, values in page.get_forms]
        posts |= {urlsplit(urljoin(response.url, action)).path for action in page.post_actions}
        for url in found:
            parts = urlsplit(url)
            if parts.path.startswith("/office") and not parts.path.startswith("/office/static"):
                address = parts.path + (f"?{parts.query}" if parts.query else "")
                if address not in seen and not _repeats_itself(address, seen):
                    queue.append(address)
    return seen, posts


_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _repeats_itself(address: str, seen: dict[str, int]) -> bool:
    """Two of a kind are enough: the pickers offer dozens of periods that lead to the same page, and
    the list of children links to each child's record alike."""
    kind = _ID.sub("{id}", address.split("?")[0])
    return sum(1 for a in seen if _ID.sub("{id}", a.split("?")[0]) == kind) >= 2


def signed_in(client, user: OfficeUser) -> OfficeClient:
    return client(user)


def test_nobody_is_shown_a_button_that_leads_to_forbidden(
    central: Central, office_school: OfficeSchool, client
):
    with central.edit() as session:
        county = schools.create_county(session, "按钮区教育局")
        session.get(School, office_school.id).county_id = county.id
        county_id = county.id
        child = session.scalars(
            select(CentralChild.id).where(CentralChild.school_id == office_school.id)
        ).first()
    users = {
        "staff": add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id),
        "staff who sees children": add_user(
            central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id, may_view_children=True
        ),
        "administrator": office_school.admin,
        "bureau": add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id),
    }
    for who, user in users.items():
        browser = signed_in(client, user)
        start = "/office/county" if who == "bureau" else f"{office_school.base}/"
        seen, posts = walk(browser, start)
        if who == "staff who sees children":
            seen.update(walk(browser, f"{office_school.base}/children/{child}", limit=40)[0])
        forbidden = sorted(address for address, status in seen.items() if status == 403)
        assert forbidden == [], (who, forbidden)
        broken = sorted(address for address, status in seen.items() if status >= 500)
        assert broken == [], (who, broken)
        assert len(seen) > 5, (who, seen)
        if who != "administrator":
            changes = sorted(p for p in posts if not p.startswith(EVERYONE_POSTS))
            assert changes == [], (who, changes)
