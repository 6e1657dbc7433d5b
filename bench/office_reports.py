"""How fast the school office answers: every report page and download of one school's semester, the
school's first page, and the bureau's county overview — for a county of schools, each with a school
year of room history, on SQLite and on PostgreSQL, through the real server over HTTP.

Run: python -m bench office_reports [--schools 20] [--server sqlite|postgresql|both] [--repeat 5]
     [--steps 1,20,200]
(the first run generates the schools' histories into artifacts/bench-cache/; a city of 200 schools is
about 20 minutes of loading on two cores)

The county grows in one database: every page is timed with the first school alone (the baseline) and
among all --schools, and the county overview at each of --steps on the way (default: 1, 20 and
--schools), so a cost that grows with the number of schools shows. The ratio says what sharing a
server with the county costs a school's pages; the goal column is the issue's: a school's page under
300 ms, the county overview under 1 s.
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

from bench.county_db import MEASURED_SEMESTER, PASSWORD, County, grow, start_county
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


def measure(url: str, county: County, repeat: int, folder: Path, chosen: list[Page]) -> dict[str, float]:
    server = ServerProcess(url, folder / f"server-{time.monotonic_ns()}.log").start()
    try:
        school = signed_in(server.url, county.admin_username)
        bureau = signed_in(server.url, county.bureau_username)
        timings = {}
        for page in chosen:
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


@dataclass
class Measured:
    alone: dict[str, float]  # every page, the first school alone
    county: dict[str, float]  # every page, among all the schools
    overview: dict[int, float]  # the county overview at each step
    events: int


def run(kind: str, steps: list[int], repeat: int, rates: HistoryRates, folder: Path) -> Measured:
    cluster = PostgresCluster(durable=True) if kind == "postgresql" else None
    try:
        url = database_for(kind, folder, cluster, "office_county")
        database = open_central(url)
        county = start_county(database, rates)
        everything, overview_only = pages(), [p for p in pages() if p.county]
        alone: dict[str, float] = {}
        overview: dict[int, float] = {}
        for step in steps:
            grow(database, county, step, rates)
            database.engine.dispose()
            chosen = everything if step in (steps[0], steps[-1]) else overview_only
            timings = measure(url, county, repeat, folder, chosen)
            overview[step] = timings["county overview"]
            if step == steps[0]:
                alone = timings
        return Measured(alone, timings, overview, county.events)
    finally:
        if cluster is not None:
            cluster.stop()


def main() -> int:
    description = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench office_reports", description=description)
    parser.add_argument("--schools", type=int, default=20, help="schools in the county (default 20)")
    parser.add_argument("--server", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (median)")
    parser.add_argument("--steps", help="county sizes the overview is timed at (default: 1,20,SCHOOLS)")
    args = parser.parse_args()
    steps = sorted({1, args.schools, *([int(s) for s in args.steps.split(",")] if args.steps else [20])})
    steps = [s for s in steps if 1 <= s <= args.schools]
    kinds = ["sqlite", "postgresql"] if args.server == "both" else [args.server]
    rates = HistoryRates()
    with tempfile.TemporaryDirectory() as folder:
        measured = {kind: run(kind, steps, args.repeat, rates, Path(folder)) for kind in kinds}
    events = next(iter(measured.values())).events
    print(
        f"\nbaseline: the first school alone; measured: it among {args.schools} schools ({events:,} events)"
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
            alone, county = measured[kind].alone, measured[kind].county
            row += [alone[page.name], county[page.name], f"{county[page.name] / alone[page.name]:.1f}x"]
            worst = max(worst, county[page.name])
        if page.archive:
            row.append("—")  # a whole semester's files: no page goal
        else:
            over += worst >= page.goal
            row.append(f"{'ok' if worst < page.goal else 'OVER'} (< {page.goal * 1000:.0f} ms)")
        rows.append(row)
    print_table(headers, rows)
    print(f"\n{over} page(s) over their goal\n")
    print("the county overview as the county grows (median):")
    print_table(
        ["schools", *kinds, *(f"{kind} per school" for kind in kinds)],
        [
            [
                step,
                *(measured[k].overview[step] for k in kinds),
                *(measured[k].overview[step] / step for k in kinds),
            ]
            for step in steps
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
