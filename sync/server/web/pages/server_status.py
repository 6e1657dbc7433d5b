"""服务器状态: the server's health as the person who looks after it reads it — the database and its
schema, every backup with its size and rows, and the last weekly restore check table by table. No
school's data: the school administrators and the bureau may read it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from sync.server.models import OfficeRole
from sync.server.operations.health import server_health
from sync.server.web.context import CurrentViewer, OfficeError
from sync.server.web.render import page

router = APIRouter()
READERS = frozenset({OfficeRole.SCHOOL_ADMIN, OfficeRole.BUREAU_VIEWER})


@router.get("/server")
def server_status(current: CurrentViewer) -> Response:
    if current.user.role not in READERS:
        raise OfficeError(404, "not_found")
    state = current.request.app.state
    health = server_health(state.database.engine, state.backups, current.now())
    failed = {c.backup for c in ([health.last_check] if health.last_check else []) if not c.ok}
    return page(
        current,
        "server.html",
        health=health,
        kind=state.backups.kind if state.backups else state.database.engine.dialect.name,
        failed=failed,
        mebibytes=lambda size: f"{size / 2**20:.1f}",
    )
