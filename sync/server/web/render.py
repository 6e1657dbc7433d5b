"""Rendering office pages: one Jinja2 environment, the context every page shares, and the formats.

Templates are autoescaped HTML with no inline script or style (the Content-Security-Policy forbids
both), so a child's name typed into a roster can never become markup. Times are shown in the school's
time zone; amounts in yuan from the fen they are stored in.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sync.server.core.school_settings import settings_of
from sync.server.i18n import LOCALE_NAMES, html_lang, translate
from sync.server.office.accounts.access import Right
from sync.server.web.context import SchoolViewer, Viewer

TEMPLATES = Path(__file__).with_name("templates")

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(current: Viewer, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(
        _environment.get_template(template).render(**base_context(current), **context),
        status_code=http_status,
    )


def anonymous_page(locale: str, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """For the sign-in page and errors before sign-in: no user, no school."""
    return HTMLResponse(
        _environment.get_template(template).render(
            **_shared(locale, ZoneInfo("Asia/Shanghai")),
            user=None,
            school=None,
            rights=frozenset(),
            **context,
        ),
        status_code=http_status,
    )


def base_context(current: Viewer) -> dict[str, Any]:
    school = current.school if isinstance(current, SchoolViewer) else None
    zone = settings_of(school).zone if school is not None else ZoneInfo("Asia/Shanghai")
    return _shared(current.locale, zone) | {
        "user": current.user,
        "csrf_token": current.signed_in.csrf_token,
        "school": school,
        "rights": current.rights if isinstance(current, SchoolViewer) else frozenset(),
        "path": current.request.url.path,
    }


def _shared(locale: str, zone: ZoneInfo) -> dict[str, Any]:
    def t(key: str, **values: Any) -> str:
        return translate(locale, key, **values)

    def when(moment: datetime | None, style: str = "datetime") -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(zone)
        return local.strftime({"datetime": "%Y-%m-%d %H:%M", "time": "%H:%M", "date": "%Y-%m-%d"}[style])

    return {
        "t": t,
        "locale": locale,
        "html_lang": html_lang(locale),
        "locale_names": LOCALE_NAMES,
        "when": when,
        "day": lambda d: d.isoformat() if isinstance(d, date) else "—",
        "yuan": lambda fen: "—" if fen is None else f"{fen / 100:.2f}",
        "pct": lambda value: "—" if value is None else f"{value:.1f}%",
        "url_query": lambda **params: urlencode({k: v for k, v in params.items() if v not in (None, "")}),
        "Right": Right,
    }
