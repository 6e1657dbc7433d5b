"""How fast the school office answers: every report page and download of one school's semester, the
school's first page, and the bureau's county overview — for a county of schools, each with a school
year of room history, on SQLite and on PostgreSQL, through the real server over HTTP.

Run: python -m bench office_reports [--schools 20] [--server sqlite|postgresql|both] [--repeat 5]
(the first run generates the schools' histories into artifacts/bench-cache/; minutes)

Baseline: the same school alone in its database. Measured: that school among the county's schools.
The ratio says what sharing a server with the county costs a school's pages; the goal column is the
issue's: a school's page under 300 ms, the county overview under 1 s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.county_db import MEASURED_SEMESTER, PASSWORD, County, load_county
from bench.timing import print_table
from db.demo_history import HistoryRates
from sync.server.bootstrap import open_central
from sync.server.reports.catalogue import REPORTS
from tests.support.processes import PostgresCluster, ServerProcess

SCHOOL_GOAL, COUNTY_GOAL = 0.300, 1.0
REGISTER_WEEK = "week:2025-11-17"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # {school} is the measured school
    params: dict[str, str]
    county: bool = False
    archive: bool = False

    @property
    def goal(self) -> float:
        return COUNTY_GOAL if self.county else SCHOOL_GOAL


def pages() -> list[Page]:
    found = [Page("overview", "/office/s/{school}/", {})]
    for slug, spec in REPORTS.items():
        period = {"semester": MEASURED_SEMESTER, "week": REGISTER_WEEK, "none": ""}[spec.default_period]
        params = {"period": period} if period else {}
        found.append(Page(f"report {slug}", f"/office/s/{{school}}/reports/{slug}", params))
        for kind in ("xlsx", "csv"):
            export = f"/office/s/{{school}}/reports/{slug}/export"
            found.append(Page(f"  {slug}.{kind}", export, params | {"format": kind}))
    archive = {"period": MEASURED_SEMESTER}
    found.append(Page("semester archive (zip)", "/office/s/{school}/archive", archive, archive=True))
    found.append(Page("county overview", "/office/county", {"period": MEASURED_SEMESTER}, county=True))
    return found


def signed_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    form = http.get(f"{base}/office/login", timeout=30)
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = http.post(
        f"{base}/office/login",
        data={"username": username, "password": PASSWORD, "login_token": token},
        timeout=60,
    )
    answer.raise_for_status()
    return http


def median_of(request: Callable[[], requests.Response], repeat: int) -> float:
    request()  # warm-up: first query plans, template compilation
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = request()
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(samples)


def measure(url: str, county: County, repeat: int, folder: Path) -> dict[str, float]:
    server = ServerProcess(url, folder / f"server-{time.monotonic_ns()}.log").start()
    try:
        school = signed_in(server.url, county.admin_username)
        bureau = signed_in(server.url, county.bureau_username)
        timings = {}
        for page in pages():
            http = bureau if page.county else school
            address = server.url + page.path.format(school=county.school_ids[0])
            fetch = lambda a=address, p=page, h=http: h.get(a, params=p.params, timeout=120)  # noqa: E731
            timings[page.name] = median_of(fetch, repeat)
        return timings
    finally:
        server.stop()


def database_for(kind: str, folder: Path, cluster: PostgresCluster | None, name: str) -> str:
    if kind == "postgresql":
        assert cluster is not None
        return cluster.create_database(name)
    return f"sqlite:///{folder / f'{name}.sqlite3'}"


def run(kind: str, schools: int, repeat: int, rates: HistoryRates, folder: Path) -> tuple[dict, dict, int]:
    cluster = PostgresCluster(durable=True) if kind == "postgresql" else None
    try:
        results = []
        events = 0
        for name, count in (("alone", 1), ("county", schools)):
            url = database_for(kind, folder, cluster, f"office_{name}")
            database = open_central(url)
            county = load_county(database, count, rates)
            database.engine.dispose()
            events = county.events
            results.append(measure(url, county, repeat, folder))
        return results[0], results[1], events
    finally:
        if cluster is not None:
            cluster.stop()


def main() -> int:
    description = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench office_reports", description=description)
    parser.add_argument("--schools", type=int, default=20, help="schools in the county (default 20)")
    parser.add_argument("--server", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (median)")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.server == "both" else [args.server]
    rates = HistoryRates()
    with tempfile.TemporaryDirectory() as folder:
        measured = {kind: run(kind, args.schools, args.repeat, rates, Path(folder)) for kind in kinds}
    events = next(iter(measured.values()))[2]
    print(
        f"\nbaseline: the school alone; measured: it among {args.schools} schools, {events:,} events in all"
    )
    print(f"period: {MEASURED_SEMESTER} (register: {REGISTER_WEEK}); median of {args.repeat} requests\n")
    headers = ["page"]
    for kind in kinds:
        headers += [f"{kind} alone", f"{kind} county", "ratio"]
    headers.append("goal")
    rows, over = [], 0
    for page in pages():
        row: list[object] = [page.name]
        worst = 0.0
        for kind in kinds:
            alone, county, _ = measured[kind]
            row += [alone[page.name], county[page.name], f"{county[page.name] / alone[page.name]:.1f}x"]
            worst = max(worst, county[page.name])
        if page.archive:
            row.append("—")  # a whole semester's files: no page goal
        else:
            over += worst >= page.goal
            row.append(f"{'ok' if worst < page.goal else 'OVER'} (< {page.goal * 1000:.0f} ms)")
        rows.append(row)
    print_table(headers, rows)
    print(f"\n{over} page(s) over their goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
