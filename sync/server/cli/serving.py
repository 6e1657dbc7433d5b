"""Serving with one process or several: one is plenty for a school, a county's 17:00 wants more cores.

With several, uvicorn's supervisor starts each worker as a fresh interpreter that builds its own app
(app_from_environment: what to serve arrives in one environment variable) on the socket the
supervisor opened, and starts a new worker when one dies. The database is migrated once, by the
supervisor, before any worker starts. Everything the workers must agree on lives in the database
(sessions, sign-in and enrolment throttles), and their metrics meet in PROMETHEUS_MULTIPROC_DIR.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass

from fastapi import FastAPI

from sync.server.core.database import CentralDatabase
from sync.server.operations.metrics import MULTIPROCESS_ENV, empty_multiprocess_folder

OPTIONS_ENV = "LIUSHOU_SERVE_OPTIONS"
FACTORY = "sync.server.cli.serving:app_from_environment"


@dataclass(frozen=True)
class ServeOptions:
    database_url: str
    api_docs: bool = False
    backup_dir: str | None = None
    metrics_from: str = ""
    forwarded_allow_ips: str | None = None
    secret_file: str | None = None  # the student-number key the supervisor opened the database with


def build_app(options: ServeOptions, database: CentralDatabase | None = None) -> FastAPI:
    """The app over `database` (opened, not migrated, when not given: the supervisor migrated it)."""
    from sync.server.app import create_app  # noqa: PLC0415  (the app's imports are heavy; here only when serving)
    from sync.server.bootstrap import open_central  # noqa: PLC0415
    from sync.server.operations.central_backups import place_of  # noqa: PLC0415

    return create_app(
        database or open_central(options.database_url, migrate=False, secret_file=options.secret_file),
        api_docs=options.api_docs,
        backups=place_of(options.database_url, options.backup_dir),
        metrics_from=options.metrics_from,
        forwarded_allow_ips=options.forwarded_allow_ips,
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process."""
    return build_app(ServeOptions(**json.loads(os.environ[OPTIONS_ENV])))


def serve(
    options: ServeOptions,
    database: CentralDatabase,
    *,
    host: str,
    port: int,
    workers: int,
    tls: tuple[str, str] | None,
) -> None:
    """Serve `database` (already migrated) in this process, or with `workers` processes."""
    import uvicorn  # noqa: PLC0415

    # uvicorn's own proxy headers would believe 127.0.0.1 (or FORWARDED_ALLOW_IPS) unasked: the app
    # believes only --forwarded-allow-ips (sync.server.app)
    ssl = (
        {"ssl_certfile": tls[0], "ssl_keyfile": tls[1], "proxy_headers": False}
        if tls
        else {"proxy_headers": False}
    )
    if workers <= 1:
        uvicorn.run(build_app(options, database), host=host, port=port, log_level="info", **ssl)
        return
    database.engine.dispose()  # each worker opens its own connections
    _share_metrics()
    os.environ[OPTIONS_ENV] = json.dumps(asdict(options))
    uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info", **ssl)


def _share_metrics() -> None:
    """The folder the workers count in: the one systemd gives (emptied here), else a private one made
    for this run and removed when it ends."""
    folder = os.environ.get(MULTIPROCESS_ENV)
    if not folder:
        folder = tempfile.mkdtemp(prefix="liushou-metrics-")
        atexit.register(shutil.rmtree, folder, True)
        os.environ[MULTIPROCESS_ENV] = folder
    empty_multiprocess_folder(folder)
