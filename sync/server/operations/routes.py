"""/healthz and /metrics: what a watchdog, a load balancer or the county's Prometheus asks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from sync.server.operations import metrics
from sync.server.operations.health import server_health

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 while the database answers (status ok or degraded, with the problems in words); 503 when
    it does not. Nothing about any school or child."""
    state = request.app.state
    health = server_health(state.database.engine, state.backups, state.database.clock.now())
    return JSONResponse(health.as_json(), status_code=503 if health.status == "failing" else 200)


@router.get("/metrics")
def metrics_page(request: Request) -> Response:
    """The Prometheus text format, to this machine and the networks named by --metrics-from only."""
    client = request.client.host if request.client else None
    if not metrics.may_scrape(client, request.app.state.metrics_networks):
        return JSONResponse({"error": {"code": "http_404", "message": "Not Found"}}, status_code=404)
    return Response(metrics.exposition(request.app.state.backups), media_type=metrics.CONTENT_TYPE)
