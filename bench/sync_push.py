"""How long a kiosk takes to push its backlog to the school's server, against a naive client.

Run: python -m bench sync_push [--events 100000] [--server sqlite|postgresql] [--conflicts]
     [--batch-size 1000] [--naive-sample 1000]
(the backlog is generated once into artifacts/bench-cache/, about ten seconds.)

The backlog is a busy room's history with real cards, of which only the newest N events never reached
the server. Each client pushes to its own freshly started server process (`python -m sync.server
serve`, SQLite with synchronous=FULL or a durable PostgreSQL cluster, on 127.0.0.1). The batched client
is the kiosk's own SyncClient: its first sync takes the roster (a snapshot) and pushes everything,
timed end to end. The server's time per batch comes from its Server-Timing header and is shown by
fifth of the push: a server whose cost grows with its history shows it there. The naive client posts
one event per request and marks each sent on its own, on a sample, extrapolated (said so).

--conflicts: a second kiosk of the school has pushed its own backlog of the same months first (two
kiosks lending the same copies while offline), and the centre marked one child's card in five lost
before the backlog began: many copy_lent_twice and card_used_after_central_change conflicts.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import func, select, update

from bench.history_db import NOW
from bench.sync_setup import Databases, School, backlog
from db.engine import writer
from db.models import OutboxEvent
from sync.client import SyncClient
from sync.client.client import DEFAULT_BATCH_SIZE
from sync.client.token_store import load_token
from sync.server.bootstrap import open_central
from sync.server.models import Conflict
from sync.wire import API_PREFIX, MAX_EVENTS_PER_BATCH, PushAck, WireEvent, event_fields


@dataclass(frozen=True)
class BatchedRun:
    events: int
    seconds: float
    client_cpu: float
    server_cpu: float
    server_ms: list[float]  # per batch, in push order
    conflicts: int


@dataclass(frozen=True)
class NaiveRun:
    events: int
    seconds: float


def main() -> int:
    args = _arguments()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kiosk_backlog = backlog(args.events, folder)
        other_backlog = backlog(args.events, folder, seed=8) if args.conflicts else None
        databases = Databases(args.server, folder)
        try:
            batched = _batched(databases, folder / "batched", kiosk_backlog, other_backlog, args)
            naive = _naive(databases, folder / "naive", kiosk_backlog, args.naive_sample)
        finally:
            databases.close()
    _report(args, batched, naive)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench sync_push", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="pending events on the kiosk")
    parser.add_argument("--server", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--conflicts", action="store_true", help="the conflict-heavy variant (see above)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        choices=range(1, MAX_EVENTS_PER_BATCH + 1),
        metavar="N",
    )
    parser.add_argument("--naive-sample", type=int, default=1000, help="events the naive client sends")
    return parser.parse_args()


def _batched(
    databases: Databases,
    folder: Path,
    kiosk_backlog: Path,
    other_backlog: Path | None,
    args: argparse.Namespace,
) -> BatchedRun:
    school = School.start(databases.new(), _made(folder))
    try:
        if other_backlog is not None:
            school.enrol(other_backlog, folder / "other-kiosk", timed=False).sync_once()
            school.lose_cards_long_ago(every=5)
        client = school.enrol(kiosk_backlog, folder / "kiosk", timed=True)
        client.batch_size = args.batch_size
        events = client.status().pending_events
        conflicts_before = _conflicts(school)
        cpu, server_cpu, started = time.process_time(), school.cpu_seconds(), time.perf_counter()
        report = client.sync_once()
        seconds = time.perf_counter() - started
        run = BatchedRun(
            events,
            seconds,
            time.process_time() - cpu,
            school.cpu_seconds() - server_cpu,
            list(school.server_ms),
            _conflicts(school) - conflicts_before,
        )
        assert report.pushed == events and client.status().pending_events == 0
        return run
    finally:
        school.stop()


def _naive(databases: Databases, folder: Path, kiosk_backlog: Path, sample: int) -> NaiveRun:
    school = School.start(databases.new(), _made(folder))
    try:
        client = school.enrol(kiosk_backlog, folder / "kiosk", timed=False)
        started = time.perf_counter()
        sent = naive_push(client, school.server.url, sample)
        return NaiveRun(sent, time.perf_counter() - started)
    finally:
        school.stop()


def naive_push(client: SyncClient, url: str, limit: int) -> int:
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
    for row in rows:
        batch = client.new_batch([WireEvent(**event_fields(row))])
        answer = http.post(f"{url}{API_PREFIX}/sync/events", data=batch.model_dump_json(), timeout=30)
        answer.raise_for_status()
        PushAck.model_validate(answer.json())
        with marks.begin() as connection:
            connection.execute(update(OutboxEvent).where(OutboxEvent.id == row.id).values(sent_at=NOW))
    http.close()
    return len(rows)


def _conflicts(school: School) -> int:
    central = open_central(school.url_db, migrate=False)
    with central.reads() as session:
        count = session.scalar(select(func.count()).where(Conflict.school_id == school.school_id)) or 0
    central.engine.dispose()
    return count


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _report(args: argparse.Namespace, batched: BatchedRun, naive: NaiveRun) -> None:
    variant = "conflict-heavy: a second kiosk pushed first, 1 card in 5 lost" if args.conflicts else "plain"
    durability = "synchronous=FULL" if args.server == "sqlite" else "durable cluster, fsync on"
    print(f"backlog: {batched.events:,} events pending on one kiosk, real cards ({variant})")
    print(f"server: {args.server} ({durability}), loopback; batches of {args.batch_size}\n")
    naive_rate = naive.events / naive.seconds
    naive_total = batched.events / naive_rate
    rows = [
        ("batched (SyncClient: roster, then the push)", batched.events, batched.seconds),
        ("naive (1 event/request), measured", naive.events, naive.seconds),
    ]
    print(f"{'client':<46}{'events':>10}{'time':>10}{'events/s':>11}")
    for name, events, seconds in rows:
        print(f"{name:<46}{events:>10,}{seconds:>9.2f}s{events / seconds:>11,.0f}")
    print(f"{'naive, extrapolated to the backlog':<46}{batched.events:>10,}{naive_total:>9.0f}s")
    ratio = naive_total / batched.seconds
    print(f"\nbatched vs naive: {ratio:.0f}x (naive measured on {naive.events:,} events)")
    print(f"client CPU {batched.client_cpu:.2f} s, server CPU {batched.server_cpu:.2f} s")
    print(f"conflicts flagged during the push: {batched.conflicts:,}")
    fifths = _fifths(batched.server_ms)
    print(f"\nserver time per batch by fifth of the push ({len(batched.server_ms)} batches), mean ms:")
    print("  " + "  ".join(f"{n}: {ms:.1f}" for n, ms in enumerate(fifths, start=1)))
    print(f"  last fifth / first fifth: {fifths[-1] / fifths[0]:.2f}")


def _fifths(values: list[float]) -> list[float]:
    """The mean of each fifth of `values`, in order (the last fifth takes any remainder)."""
    size = max(1, len(values) // 5)
    groups = [values[i * size : (i + 1) * size] for i in range(4)] + [values[4 * size :]]
    return [statistics.mean(g) for g in groups if g]


if __name__ == "__main__":
    raise SystemExit(main())
