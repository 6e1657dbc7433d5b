"""A county's rooms syncing at once: every kiosk pushes its afternoon (about 300 events: sign-ins and
-outs, calls home, loans and returns) and pulls the day's changes within the same minute, while office
users open their reports — on SQLite (one process) and on PostgreSQL with several worker processes,
beside a one-kiosk baseline on the same server.

Run: python -m bench county_sync [--kiosks 200] [--office-users 30] [--server sqlite|postgresql|both]
     [--workers 4] [--spawn-seconds 60] [--time-limit 600]

The load is Locust (bench.county_load, a process of its own) against the real server
(`python -m sync.server serve`) on 127.0.0.1, on a fresh database holding the county: a school per
kiosk, each the demo school with its own seed. Each user makes a fixed number of requests and stops;
the run ends when all have, or at --time-limit. Printed per endpoint: requests, errors (the goal is
none), p50 and p95 of the baseline and of the county, and the county's throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.county_plan import KioskPlan, LoadPlan, OfficePlan
from bench.county_rooms import county_at_five
from bench.timing import print_table
from sync.server.bootstrap import open_central
from sync.server.core.school_settings import SchoolSettings
from sync.server.reports.period import recent_semesters
from tests.support.processes import PostgresCluster, ServerProcess

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    args = _arguments()
    kinds = ["sqlite", "postgresql"] if args.server == "both" else [args.server]
    results = {}
    with tempfile.TemporaryDirectory(prefix="county-sync-") as tmp:
        for kind in kinds:
            results[kind] = run_backend(kind, args, Path(tmp) / kind)
    _report(args, kinds, results)
    failures = sum(r[name]["failures"] for r in results.values() for name in ("baseline", "county"))
    return 1 if failures else 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench county_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=200, help="kiosks (one school each) syncing at once")
    parser.add_argument("--office-users", type=int, default=30, help="office users opening reports meanwhile")
    parser.add_argument("--server", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=4, help="worker processes on PostgreSQL (SQLite: 1)")
    parser.add_argument("--spawn-seconds", type=float, default=60.0, help="everyone starts within this")
    parser.add_argument("--time-limit", type=float, default=600.0, help="the load stops by then, done or not")
    return parser.parse_args()


def run_backend(kind: str, args: argparse.Namespace, folder: Path) -> dict[str, dict]:
    """The county on a fresh database of `kind`; the baseline (one kiosk, one office user), then all."""
    folder.mkdir(parents=True)
    cluster = PostgresCluster(durable=True) if kind == "postgresql" else None
    try:
        url = cluster.create_database("county") if cluster else f"sqlite:///{folder / 'central.sqlite3'}"
        workers = args.workers if kind == "postgresql" else 1
        started = time.perf_counter()
        database = open_central(url)
        kiosks, office = county_at_five(database, folder / "kiosks", args.kiosks + 1, args.office_users + 1)
        database.engine.dispose()
        print(f"  ({kind}: {len(kiosks)} schools and kiosks ready in {time.perf_counter() - started:.0f} s)")
        serve_args = ["--workers", str(workers)] if workers > 1 else []
        server = ServerProcess(url, folder / "server.log", serve_args=serve_args).start()
        try:
            baseline = _load(server, folder / "baseline", kiosks[:1], office[:1], args, spawn_seconds=0)
            county = _load(server, folder / "county", kiosks[1:], office[1:], args, args.spawn_seconds)
        finally:
            server.stop()
        return {"baseline": baseline, "county": county, "workers": {"count": workers}}
    finally:
        if cluster is not None:
            cluster.stop()


def _load(
    server: ServerProcess,
    folder: Path,
    kiosks: list[KioskPlan],
    office: list[OfficePlan],
    args: argparse.Namespace,
    spawn_seconds: float,
) -> dict:
    folder.mkdir(parents=True)
    semester = recent_semesters(datetime.now(UTC).date(), SchoolSettings())[0].code
    plan = LoadPlan(server.url, kiosks, office, semester, spawn_seconds, args.time_limit)
    plan.write(folder / "plan.json")
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds(server)
    subprocess.run(
        [sys.executable, "-m", "bench.county_load", str(folder / "plan.json"), str(folder / "result.json")],
        cwd=REPO,
        check=True,
        timeout=args.time_limit + 120,
        stdout=(folder / "locust.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    result["server_cpu"] = _cpu_seconds(server) - cpu_before
    result["load_average"] = (load_before, os.getloadavg()[0])
    result["events"] = sum(k.events for k in kiosks)
    return result


def _cpu_seconds(server: ServerProcess) -> float:
    """CPU time of the server and its worker processes so far (Linux /proc)."""
    assert server.process is not None
    total, waiting = 0.0, [server.process.pid]
    while waiting:
        pid = waiting.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        waiting.extend(int(c) for c in children)
    return total


def _report(args: argparse.Namespace, kinds: list[str], results: dict[str, dict]) -> None:
    print(
        f"\n{args.kiosks} kiosks (a school each) push an afternoon and pull, {args.office_users} office users"
    )
    print(f"open reports; everyone starts within {args.spawn_seconds:.0f} s; limit {args.time_limit:.0f} s")
    print("baseline: one kiosk and one office user alone on the same server; times are p50 / p95\n")
    names = sorted(
        {name for r in results.values() for part in ("baseline", "county") for name in r[part]["endpoints"]}
    )
    headers = ["endpoint"]
    for kind in kinds:
        workers = results[kind]["workers"]["count"]
        label = f"{kind} ({workers} worker{'s' if workers > 1 else ''})"
        headers += [f"{label} baseline", "county", "requests", "errors"]
    rows = []
    for name in names:
        row: list[object] = [name]
        for kind in kinds:
            base = results[kind]["baseline"]["endpoints"].get(name)
            county = results[kind]["county"]["endpoints"].get(name)
            row += [
                _pair(base),
                _pair(county),
                county["requests"] if county else 0,
                county["failures"] if county else 0,
            ]
        rows.append(row)
    print_table(headers, rows)
    print()
    for kind in kinds:
        county = results[kind]["county"]
        events, seconds = county["acknowledged_events"], county["seconds"]
        load = county["load_average"]
        print(
            f"{kind}: {county['requests']:,} requests, {county['failures']} errors in {seconds:.1f} s: "
            f"{county['requests'] / seconds:.1f} requests/s; {events:,} of {county['events']:,} events "
            f"stored, {events / seconds:,.0f}/s; server CPU {county['server_cpu']:.0f} s; "
            f"load average {load[0]:.1f} before, {load[1]:.1f} after"
            + ("; STOPPED BY THE TIME LIMIT" if county["stopped_by_time_limit"] else "")
        )
        for example in county["failure_examples"][:5]:
            print(f"  error: {example}")


def _pair(entry: dict | None) -> str:
    if entry is None:
        return "—"
    return f"{entry['p50'] * 1000:.0f} / {entry['p95'] * 1000:.0f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
