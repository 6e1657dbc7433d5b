"""Putting the office web app into the server's FastAPI app: its pages under /office, its static files,
its security headers, and its error pages.

The kiosks' API keeps its JSON errors; everything under /office answers in HTML. Pages are never cached
(they hold children's data) and may not be framed; scripts and styles come only from this server, so
the app works on a school LAN with no internet and a pasted name cannot run as script.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote_plus

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.web import pages
from sync.server.web.context import LoginRequired, OfficeError, locale_for, viewer
from sync.server.web.render import anonymous_page, page

PREFIX = "/office"
STATIC = Path(__file__).with_name("static")
# blob: images are the photos a teacher picked, read in the page to send them smaller (office.js);
# a blob can only be made by the page's own script, which only this server serves.
_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def install_office(app: FastAPI) -> None:
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="office-static")
    for router in pages.ROUTERS:
        app.include_router(router, prefix=PREFIX, include_in_schema=False)
    app.add_middleware(RefuseNulInQuery)
    app.add_middleware(SecurityHeaders)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=303)


def is_office(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PREFIX}/login?next={_quote(target)}", status_code=303)


def office_error_page(request: Request, status: int, code: str) -> Response:
    """An error as a page in the user's language; signed-in users keep their header and menu."""
    try:
        current = viewer(request)
    except (LoginRequired, OfficeError):
        locale = locale_for(request, None)
        return anonymous_page(locale, "error.html", status, status_code=status, code=code)
    return page(current, "error.html", status, status_code=status, code=code)


async def http_error_page(request: Request, exc: StarletteHTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed", 422: "bad_request"}.get(exc.status_code, "failed")
    return office_error_page(request, exc.status_code, code)


def _quote(target: str) -> str:
    from urllib.parse import quote

    return quote(target, safe="/")


HSTS = b"max-age=31536000"  # a year: browsers that saw HTTPS here once refuse plain HTTP after


class RefuseNulInQuery:
    """An office address whose query holds a NUL (%00) is refused with a page in the user's language
    before any handler sees it: no filter, search or download name may carry one (PostgreSQL cannot
    store it, an HTTP header cannot hold it). Forms are checked in `context.form_viewer`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if (
            query
            and str(scope.get("path", "")).startswith(PREFIX)
            and "\x00" in unquote_plus(query.decode("latin-1"))
        ):
            request = Request(scope, receive)
            refusal = await run_in_threadpool(office_error_page, request, 400, "bad_character")
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Headers every /office response carries; plain ASGI so streaming downloads pass through. Every
    answer over HTTPS (directly, or from a trusted proxy that says so) also carries HSTS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, self._hsts_only(scope, send))
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = {
                    b"content-security-policy": _CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"DENY",
                }
                if not str(scope["path"]).startswith(f"{PREFIX}/static/"):
                    extra[b"cache-control"] = b"no-store"
                if scope.get("scheme") == "https":
                    extra[b"strict-transport-security"] = HSTS
                headers.extend((k, v) for k, v in extra.items() if k not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

    @staticmethod
    def _hsts_only(scope: Scope, send: Send) -> Send:
        if scope.get("scheme") != "https":
            return send

        async def with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"strict-transport-security", HSTS)]
            await send(message)

        return with_hsts
