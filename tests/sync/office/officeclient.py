"""A school office user's browser without the browser: requests against the real server, with the
session cookie, the CSRF token of the last page, and the page's tables read as rows.

The browser test (test_browser.py) drives Chromium; these helpers serve the many small tests of
scoping, roles and refusals, where a real browser would add only time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import requests

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


class _Tables(HTMLParser):
    """Rows of every <table data-table="…"> (and of unnamed tables, under their position)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._count += 1
            name = dict(attrs).get("data-table") or f"table{self._count}"
            self._current = self.tables.setdefault(name, [])
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._current is not None and self._row is not None:
            self._current.append(self._row)
            self._row = None
        elif tag == "table":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@dataclass
class Page:
    status: int
    text: str
    url: str
    headers: Any = None
    _tables: dict[str, list[list[str]]] | None = field(default=None, repr=False)

    @property
    def tables(self) -> dict[str, list[list[str]]]:
        if self._tables is None:
            parser = _Tables()
            parser.feed(self.text)
            self._tables = parser.tables
        return self._tables

    def table(self, key: str) -> list[list[str]]:
        return self.tables[key]


class OfficeClient:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.csrf: str | None = None

    def login(self, username: str, password: str, *, expect_ok: bool = True) -> Page:
        form = self.http.get(f"{self.base}/office/login", timeout=10)
        token = _LOGIN.search(form.text)
        assert token is not None, form.text[:500]
        response = self.http.post(
            f"{self.base}/office/login",
            data={"username": username, "password": password, "login_token": token.group(1), "next": ""},
            timeout=20,
        )
        page = self._page(response)
        if expect_ok:
            assert response.status_code == 200 and "/office/login" not in response.url, page.text[:300]
        return page

    def get(self, path: str, **params: Any) -> Page:
        return self._page(self.http.get(self.base + path, params=params, timeout=60))

    def download(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.base + path, params=params, timeout=120)

    def post(
        self,
        path: str,
        data: dict[str, Any] | list[tuple[str, str]] | None = None,
        *,
        csrf: str | None = "",
        **kwargs: Any,
    ) -> Page:
        """A form post with this session's CSRF token (csrf="" means the one of the last page; None
        sends none)."""
        token = self.csrf if csrf == "" else csrf
        body: Any
        if isinstance(data, list):  # repeated names (ticked checkboxes of one name) as a list of pairs
            body = [*data, *([("csrf_token", token)] if token is not None else [])]
        else:
            body = dict(data or {})
            if token is not None:
                body["csrf_token"] = token
        return self._page(self.http.post(self.base + path, data=body, timeout=60, **kwargs))

    def _page(self, response: requests.Response) -> Page:
        found = (
            _CSRF.search(response.text) if "text/html" in response.headers.get("content-type", "") else None
        )
        if found:
            self.csrf = found.group(1)
        return Page(response.status_code, response.text, response.url, response.headers)
