"""How long a kiosk takes to push one semester's backlog to the school's server, against a naive client.

Run: python -m bench sync_push   (first run builds the backlog into artifacts/bench-cache/, about a minute)

The backlog is a busy room's autumn semester (three openings a day, every child every time) that never reached
the server: about 100 k outbox events. Each client pushes to its own freshly started server process
(SQLite, on 127.0.0.1), so neither profits from the other's work. The real client sends gzip-compressed
batches of 500 and marks each acknowledged batch sent in one transaction. The naive client posts one
event per request (keep-alive, no compression) and marks each event sent on its own; it runs on a
sample of NAIVE_SAMPLE events and its full-backlog time is extrapolated linearly, which the output says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import requests
from sqlalchemy import select, update

from bench.history_db import NOW, HistorySpec, history_db
from db.clock import ManualClock
from db.demo_history import HistoryRates
from db.engine import writer
from db.models import OutboxEvent
from kiosk.services.setup import open_database
from sync.client import SyncClient
from sync.client.token_store import load_token
from sync.server import admin
from sync.server.database import open_central
from sync.server.demo import import_demo_school
from sync.wire import API_PREFIX, PushAck, WireEvent, event_fields

SEMESTER_BACKLOG = HistorySpec(
    date(2026, 9, 1),
    date(2026, 11, 22),
    3,  # the most openings a day the history generator knows
    True,
    HistoryRates(visit=1.0, call_given_visit=0.35, book_given_visit=0.15, equipment_given_visit=0.6),
    pending_from=datetime(2026, 9, 1, tzinfo=UTC),  # nothing of it reached the server
)
NAIVE_SAMPLE = 2_000
REPO = Path(__file__).resolve().parent.parent


class Server:
    """`python -m sync.server serve` on its own SQLite file and port, with the demo school loaded."""

    def __init__(self, folder: Path) -> None:
        self.url_db = f"sqlite:///{folder / 'central.sqlite3'}"
        central = open_central(self.url_db)
        with central.writes() as session:
            school = admin.create_school(session, "基准测试小学")
            room = admin.create_room(session, school.id, "留守儿童之家")
            import_demo_school(session, school.id, NOW)  # same seed, so the same ids, as the kiosk's demo
            self.code = admin.issue_enrolment_code(session, room.id).code
            session.commit()
        central.engine.dispose()
        with socket_port() as port:
            self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync.server", "--database", self.url_db, "serve", "--port", port],
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}{API_PREFIX}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class socket_port:  # noqa: N801 - used as a context manager, reads like a function
    def __enter__(self) -> str:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return str(self._sock.getsockname()[1])

    def __exit__(self, *_exc: object) -> None:
        self._sock.close()


def enrolled_kiosk(backlog: Path, folder: Path, server: Server) -> SyncClient:
    path = folder / "kiosk.sqlite3"
    shutil.copyfile(backlog, path)
    uow = open_database(path, ManualClock(NOW))
    client = SyncClient(uow.engine, uow.clock)
    client.enrol(server.url, server.code, then_sync=False)
    return client


def naive_push(client: SyncClient, limit: int) -> int:
    """One request per event, each marked sent in its own transaction: the obvious first version."""
    with client._reads() as session:
        rows = list(
            session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.sent_at.is_(None))
                .order_by(OutboxEvent.seq)
                .limit(limit)
            )
        )
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {load_token(client.token_path)}"
    http.headers["Content-Type"] = "application/json"
    marks = writer(client.engine)
    url = f"{client_url(client)}{API_PREFIX}/sync/events"
    for row in rows:
        batch = client.new_batch([WireEvent(**event_fields(row))])
        answer = http.post(url, data=batch.model_dump_json(), timeout=30)
        answer.raise_for_status()
        PushAck.model_validate(answer.json())
        with marks.begin() as connection:
            connection.execute(update(OutboxEvent).where(OutboxEvent.id == row.id).values(sent_at=NOW))
    http.close()
    return len(rows)


def client_url(client: SyncClient) -> str:
    return client.status().server_url or ""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        backlog = history_db(SEMESTER_BACKLOG, folder / "backlog.sqlite3")

        (folder / "real").mkdir()
        server = Server(folder / "real")
        try:
            client = enrolled_kiosk(backlog, folder / "real", server)
            events = client.status().pending_events
            started = time.perf_counter()
            report = client.sync_once()
            real = time.perf_counter() - started
            assert report.pushed == events and client.status().pending_events == 0
        finally:
            server.stop()

        (folder / "naive").mkdir()
        server = Server(folder / "naive")
        try:
            naive_client = enrolled_kiosk(backlog, folder / "naive", server)
            started = time.perf_counter()
            sampled = naive_push(naive_client, NAIVE_SAMPLE)
            sample_time = time.perf_counter() - started
        finally:
            server.stop()

    naive = sample_time / sampled * events
    print(f"backlog: one busy semester, {events:,} events pending on the kiosk; server: SQLite, loopback\n")
    w = 44
    print(f"{'client':<44}{'events sent':>12}{'time':>12}{'events/s':>11}")
    print(
        f"{'batched (500/request, gzip, ack per batch)':<{w}}{events:>12,}{real:>11.1f}s"
        f"{events / real:>11,.0f}"
    )
    print(
        f"{'naive (1 event/request), measured':<44}{sampled:>12,}{sample_time:>11.1f}s"
        f"{sampled / sample_time:>11,.0f}"
    )
    print(f"{'naive, extrapolated to the whole backlog':<44}{events:>12,}{naive:>11.1f}s{'':>11}")
    print(
        f"\nratio naive / batched: {naive / real:.0f}x  (naive measured on {sampled:,} events, extrapolated)"
    )
    print("the batched time includes the first roster pull (a snapshot of the demo school)")


if __name__ == "__main__":
    main()
