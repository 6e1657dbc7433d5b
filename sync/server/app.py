"""The HTTP API the kiosks talk to. Every route but enrolment and health needs a device token, and
everything a device reads or writes is scoped to the school its token belongs to.

Errors are always `{"error": {"code", "message", "details"}}` (sync.wire.ErrorBody). Validation
errors name the field and the problem, never echo the value: a fuzzed or mistaken payload could hold
a child's name. Logs carry device ids and counts, never payloads.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from db.pin_seal import PinKey
from sync.server.api.errors import ApiError, error_body
from sync.server.api.limits import BodyLimits
from sync.server.api.timing import ServerTiming
from sync.server.core.clock import now_of
from sync.server.core.database import CentralDatabase
from sync.server.devices import credentials, pin_seal_keys
from sync.server.devices.enrolment import WRONG_CODE, enrol
from sync.server.devices.enrolment_throttle import EnrolmentThrottle
from sync.server.devices.pull import changes_after
from sync.server.intake.held_events import held_events
from sync.server.intake.ingest import ingest
from sync.server.models import Device
from sync.server.office.sheets import staging
from sync.server.operations import routes as operations_routes
from sync.server.operations.central_backups import BackupPlace, place_of
from sync.server.operations.metrics import RequestMetrics, allowed_networks, count_push
from sync.server.web.context import LoginRequired, OfficeError, PasswordChangeRequired
from sync.server.web.imports import MAX_UPLOAD
from sync.server.web.setup import (
    http_error_page,
    install_office,
    is_office,
    login_redirect,
    office_error_page,
)
from sync.wire import (
    API_PREFIX,
    MAX_BODY_BYTES,
    MAX_PULL_PAGE,
    Changes,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    HeldEvents,
    PinSealKey,
    PushAck,
    PushBatch,
    SealedPins,
)

log = logging.getLogger("sync.server")

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 409, 413, 415, 422)
}


# The office's file uploads: the file and the form around it.
_UPLOADS = re.compile(r"^/office/s/[^/]+/(roster|catalogue)/preview$")
UPLOAD_BODY_BYTES = MAX_UPLOAD + 256 * 1024


@dataclass(frozen=True, slots=True)
class AuthenticatedDevice:
    id: uuid.UUID
    school_id: uuid.UUID
    pin_seal_key: PinKey | None  # agreed with the kiosk: what staff PIN verifiers are sealed with


_bearer = HTTPBearer(auto_error=False, description="The device token the kiosk received at enrolment.")


def _write_session(request: Request) -> Iterator[Session]:
    with request.app.state.writes() as session:
        yield session


def _current_device(
    request: Request, auth: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> AuthenticatedDevice:
    if auth is None:
        raise ApiError(401, "token_missing", "Send the device token as 'Authorization: Bearer <token>'.")
    parts = credentials.split_token(auth.credentials)
    if parts is None:
        raise ApiError(401, "token_invalid", "This device token is not valid; enrol the kiosk again.")
    with request.app.state.reads() as session:
        device = session.scalar(select(Device).where(Device.token_id == parts[0]))
    if device is None or not credentials.same_digest(parts[1], device.token_hash):
        raise ApiError(401, "token_invalid", "This device token is not valid; enrol the kiosk again.")
    if device.revoked_at is not None:
        raise ApiError(401, "token_revoked", "This kiosk's token has been revoked; enrol it again.")
    return AuthenticatedDevice(device.id, device.school_id, pin_seal_keys.seal_key_of(device))


Authenticated = Annotated[AuthenticatedDevice, Depends(_current_device)]
Writing = Annotated[Session, Depends(_write_session)]
router = APIRouter(prefix=API_PREFIX)


@router.get("/health", tags=["meta"])
def health(http: Request) -> dict[str, str]:
    """Unauthenticated liveness check; says nothing about any school."""
    database: CentralDatabase = http.app.state.database
    return {"status": "ok", "server_time": database.clock.now().isoformat()}


@router.post("/enrol", status_code=201, responses=_ERRORS | {429: {"model": ErrorBody}}, tags=["enrolment"])
def enrol_device(request: EnrolRequest, session: Writing, http: Request) -> EnrolResponse:
    """Trade a one-time enrolment code for this kiosk's device token (shown once). Wrong codes are
    throttled per client address (sync.server.devices.enrolment_throttle)."""
    throttle: EnrolmentThrottle = http.app.state.enrolment_throttle
    client = http.client.host if http.client else "unknown"
    throttle.check(session, client, now_of(session))
    try:
        response = enrol(session, request)
    except ApiError as refused:
        if refused.code in WRONG_CODE:
            session.rollback()
            throttle.failed(session, client, now_of(session))
            session.commit()
            log.warning("wrong enrolment code from %s (%s)", client, refused.code)
        raise
    session.commit()
    log.info("device %s enrolled in school %s", response.device_id, response.school_id)
    return response


@router.post("/sync/events", responses=_ERRORS, tags=["sync"])
def push_events(batch: PushBatch, device: Authenticated, session: Writing, response: Response) -> PushAck:
    """Store a batch of this kiosk's events, each exactly once; the ack covers the whole batch."""
    received_at = now_of(session)
    if batch.device_id != device.id:
        raise ApiError(403, "device_mismatch", "This batch names another device than the token's.")
    started = time.perf_counter()
    ack = ingest(session, device.id, batch, received_at)
    session.commit()
    response.headers["Server-Timing"] = f"intake;dur={(time.perf_counter() - started) * 1000:.1f}"
    count_push(ack.new, ack.duplicates, ack.set_aside, ack.conflicts_flagged)
    log.info(
        "device %s pushed %d events (%d new, %d duplicates, %d set aside, %d conflicts)",
        device.id,
        ack.acknowledged,
        ack.new,
        ack.duplicates,
        ack.set_aside,
        ack.conflicts_flagged,
    )
    return ack


@router.get("/sync/events/held", responses=_ERRORS, tags=["sync"])
def events_held(
    request: Request,
    device: Authenticated,
    after: Annotated[int, Query(ge=0, le=2**62, description="only seqs after this one")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = MAX_PULL_PAGE,
) -> HeldEvents:
    """Sequence numbers and ids the server holds of this kiosk's own events (for a restored kiosk)."""
    with request.app.state.reads() as session, session.begin():
        return held_events(session, device.school_id, device.id, after, limit)


@router.get("/sync/changes", responses=_ERRORS, tags=["sync"])
def pull_changes(
    request: Request,
    device: Authenticated,
    after: Annotated[int, Query(ge=0, le=2**62, description="the cursor from the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = MAX_PULL_PAGE,
) -> Changes:
    """Roster, staff, cards and catalogue rows of this kiosk's school changed after `after`."""
    with request.app.state.reads() as session, session.begin():
        return changes_after(session, device.school_id, after, limit, device.pin_seal_key)


@router.post("/sync/pin-seal-key", responses=_ERRORS, tags=["sync"])
def agree_pin_seal_key(body: PinSealKey, device: Authenticated, session: Writing) -> SealedPins:
    """A kiosk enrolled by an older version gives the key it seals staff PINs with, once; the answer
    is its school's PIN verifiers sealed with it (sync.server.devices.pin_seal_keys)."""
    sealed = pin_seal_keys.agree(session, device.id, body.key)
    session.commit()
    log.info("device %s agreed its PIN seal key", device.id)
    return sealed


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Once the server has started, the objects it made (modules, schemas, table metadata: hundreds of
    thousands) live as long as it does; gc.freeze() takes them out of the collector's sight. Otherwise
    every full collection, which a large batch's allocations trigger now and then, walks them all again
    (measured: the intake of a 100,000-event backlog took 1.8× as long).

    While the server runs, abandoned import previews (names, phone numbers) are swept away, so none
    outlives the hour (sync.server.office.sheets.staging)."""
    gc.collect()
    gc.freeze()
    sweeper = asyncio.create_task(_sweep_previews(app.state.database))
    try:
        yield
    finally:
        sweeper.cancel()


async def _sweep_previews(database: CentralDatabase) -> None:
    interval = staging.sweep_interval().total_seconds()
    while True:
        await asyncio.sleep(interval)
        try:
            gone = await run_in_threadpool(_sweep_once, database)
        except Exception as exc:  # noqa: BLE001 - a busy or unreachable database: try again next round
            log.warning("sweeping abandoned previews failed (%s); trying again later", type(exc).__name__)
            continue
        if gone:
            log.info("swept %d abandoned import previews", gone)


def _sweep_once(database: CentralDatabase) -> int:
    with database.writes() as session:
        gone = staging.sweep_stale(session, database.clock.now())
        session.commit()
    return gone


def create_app(
    database: CentralDatabase,
    *,
    api_docs: bool = False,
    throttle: EnrolmentThrottle | None = None,
    forwarded_allow_ips: str | None = None,
    backups: BackupPlace | None = None,
    metrics_from: str = "",
) -> FastAPI:
    """The API. `api_docs` serves /docs and /openapi.json (the fuzz tests read the spec); off by
    default, since they map every route for anyone on the network (sync.server.cli.exposure).
    `forwarded_allow_ips`: the proxies (comma-separated addresses or networks) whose X-Forwarded-For
    and -Proto are believed; from anyone else, or when None, those headers are ignored, so nobody
    writes an address of their choice into the audit log or dodges a lockout with one.
    `backups` is where /healthz and /metrics look for the database's backups (default: where the
    backup command puts them); `metrics_from` names the networks besides this machine that may read
    /metrics."""
    docs = {} if api_docs else {"docs_url": None, "redoc_url": None, "openapi_url": None}
    app = FastAPI(
        title="留守儿童之家 sync server",
        version="1",
        description="Kiosks push the room's facts and pull their school's roster, cards and catalogue.",
        lifespan=_lifespan,
        **docs,
    )
    app.state.enrolment_throttle = throttle or EnrolmentThrottle()
    app.state.writes = database.writes
    app.state.reads = database.reads
    app.state.database = database
    app.state.backups = backups or place_of(database.engine.url.render_as_string(hide_password=False))
    app.state.metrics_networks = allowed_networks(metrics_from)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(RequestMetrics)  # inside BodyLimits, which hands on a copy of the request's scope
    app.add_middleware(
        BodyLimits, max_bytes=MAX_BODY_BYTES, upload_bytes=UPLOAD_BODY_BYTES, upload_paths=_UPLOADS
    )
    app.add_middleware(ServerTiming)  # added last: outermost, so it times everything below it
    _install_error_handlers(app)
    app.include_router(router)
    app.include_router(operations_routes.router)
    install_office(app)
    if forwarded_allow_ips:  # outermost: everything below sees the browser's address and scheme
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=forwarded_allow_ips)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(OfficeError)
    async def office_refusal(request: Request, exc: OfficeError) -> Response:
        return office_error_page(request, exc.status, exc.code)

    @app.exception_handler(LoginRequired)
    async def office_login(request: Request, _exc: LoginRequired) -> Response:
        return login_redirect(request)

    @app.exception_handler(PasswordChangeRequired)
    async def own_password_first(_request: Request, _exc: PasswordChangeRequired) -> Response:
        return RedirectResponse("/office/account", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_office(request):  # a malformed id in an office address is a page that does not exist
            return office_error_page(request, 404, "not_found")
        details = [
            {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "invalid")}
            for err in exc.errors()[:20]
        ]
        return JSONResponse(
            error_body("invalid_request", "The request does not match the API schema.", details),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_office(request):
            return await http_error_page(request, exc)
        return JSONResponse(
            error_body(f"http_{exc.status_code}", str(exc.detail)),
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected %s while handling a request", type(exc).__name__)
        log.debug("traceback of the unexpected error", exc_info=exc)
        if is_office(request):
            return office_error_page(request, 500, "failed")
        return JSONResponse(
            error_body("server_error", "The server failed; the kiosk will retry."), status_code=500
        )
