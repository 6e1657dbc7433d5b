"""Metrics in Prometheus's text format, for whoever watches the county's server: requests and their
latency per route, the kiosks' batches and what became of their events, and the newest good backup.

Several worker processes each count their own requests; with PROMETHEUS_MULTIPROC_DIR set (the
server sets it before it starts its workers) each writes its counts to a file there and any worker
answering /metrics adds up all of them (prometheus_client's multiprocess mode). The backup figures
are read from the backups folder when asked, not counted.

Routes are labelled by their template (/office/s/{school_id}/children), never the path itself, so a
school's or a child's id never becomes a label, and strangers probing addresses add no series.
/metrics answers only this machine and the networks named with --metrics-from; to anyone else the
address does not exist.
"""

from __future__ import annotations

import ipaddress
import math
import os
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.operations.backup_store import newest_good, read_checks
from sync.server.operations.central_backups import BackupPlace

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
if os.environ.get(MULTIPROCESS_ENV):  # each metric below opens its file there as it is made
    os.makedirs(os.environ[MULTIPROCESS_ENV], mode=0o700, exist_ok=True)

REQUESTS = Counter(
    "liushou_http_requests_total",
    "Requests answered, by route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "liushou_http_request_duration_seconds",
    "Time from a request's first byte to its answer's headers, by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
BATCHES = Counter("liushou_sync_batches_total", "Batches of events the kiosks pushed and the server stored.")
EVENTS_STORED = Counter("liushou_sync_events_stored_total", "Events stored for the first time.")
EVENTS_DUPLICATE = Counter("liushou_sync_events_duplicate_total", "Events sent again and acknowledged.")
EVENTS_SET_ASIDE = Counter(
    "liushou_sync_events_set_aside_total", "Events stored but not taken as facts (admin set-aside)."
)
CONFLICTS = Counter("liushou_sync_conflicts_flagged_total", "Conflicts flagged for a person to resolve.")


def count_push(new: int, duplicates: int, set_aside: int, conflicts: int) -> None:
    BATCHES.inc()
    EVENTS_STORED.inc(new)
    EVENTS_DUPLICATE.inc(duplicates)
    EVENTS_SET_ASIDE.inc(set_aside)
    CONFLICTS.inc(conflicts)


class RequestMetrics:
    """Counts and times every HTTP request; plain ASGI, so it sees the answer of every route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        counted = False

        def count(status: int) -> None:
            nonlocal counted
            counted = True
            route = route_template(scope, status)
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)
            REQUESTS.labels(scope["method"], route, str(status)).inc()

        async def noted(message: Message) -> None:
            # Counted before the answer leaves: a client that reads /metrics next (from any worker)
            # must find its own request there.
            if message["type"] == "http.response.start":
                count(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            if not counted:  # the application failed before it answered
                count(500)


def route_template(scope: Scope, status: int) -> str:
    """The path with each of its parameters' values put back as `{name}`: /office/s/{school_id}/children.
    Anything not found, or not routed at all, is one label: a stranger's probes make no new series."""
    if status == 404 or (scope.get("route") is None and scope.get("endpoint") is None):
        return "unmatched"
    names = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    return "/".join(f"{{{names[part]}}}" if part in names else part for part in scope["path"].split("/"))


class BackupCollector(Collector):
    """The backups folder as gauges, read at each scrape."""

    def __init__(self, place: BackupPlace | None) -> None:
        self.place = place

    def collect(self) -> Iterable[Metric]:
        if self.place is None:
            return
        now = datetime.now(UTC)
        good = newest_good(self.place.folder, self.place.stem)
        age = GaugeMetricFamily(
            "liushou_backup_newest_good_age_seconds",
            "Age of the newest whole backup no check has failed (+Inf: there is none).",
        )
        age.add_metric([], (now - good.made_at).total_seconds() if good else math.inf)
        yield age
        if good is not None:
            yield GaugeMetricFamily(
                "liushou_backup_newest_good_timestamp_seconds",
                "When the newest good backup was made (Unix time).",
                value=good.made_at.timestamp(),
            )
        checks = read_checks(self.place.folder)
        if checks:
            yield GaugeMetricFamily(
                "liushou_backup_check_ok",
                "1 if the last weekly restore check matched the backup's counts, else 0.",
                value=1.0 if checks[0].ok else 0.0,
            )
            yield GaugeMetricFamily(
                "liushou_backup_check_timestamp_seconds",
                "When the last weekly restore check ran (Unix time).",
                value=checks[0].checked_at.timestamp(),
            )


def exposition(place: BackupPlace | None) -> bytes:
    """Every metric, of every worker process when there are several, and the backups'."""
    backups = CollectorRegistry()
    backups.register(BackupCollector(place))
    if os.environ.get(MULTIPROCESS_ENV):
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        return generate_latest(workers) + generate_latest(backups)
    return generate_latest(REGISTRY) + generate_latest(backups)


def allowed_networks(spec: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`--metrics-from` (comma-separated addresses or networks) as networks; refuses what is not one."""
    networks = []
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"--metrics-from: {part!r} is not an address or a network") from exc
    return tuple(networks)


def may_scrape(client: str | None, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return address.is_loopback or any(address in network for network in networks)


def empty_multiprocess_folder(folder: str) -> None:
    """Empty the folder the workers will count in: counts of an earlier run must not be added in."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.unlink(os.path.join(folder, name))
