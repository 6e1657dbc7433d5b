"""The load of the county_sync benchmark, run by Locust in a process of its own:
`python -m bench.county_load PLAN.json RESULT.json`.

Locust's gevent must patch the standard library before anything else is imported, so this process
imports it first and nothing of the server. Every kiosk of the plan is one user that pushes its
afternoon exactly as its client does (gzipped batches, then the pull of the day's changes, page by
page) and stops; every office user signs in through the login form and opens their reports, then
stops. Users start spread over the plan's spawn window ("within the same minute"). The run ends when
every user has stopped, or at the time limit, whichever comes first: a fixed number of requests, and
never longer than the limit. Load goes only to the plan's host, which is 127.0.0.1.
"""

from __future__ import annotations

import gevent.monkey

gevent.monkey.patch_all()

import base64  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, User, constant, events, task  # noqa: E402
from locust.contrib.fasthttp import FastHttpUser  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402

from bench.county_plan import KioskPlan, LoadPlan, OfficePlan  # noqa: E402

REPORTS = ("statistics", "contact", "room")
STATE: dict[str, Any] = {"kiosks": [], "office": [], "done": 0, "users": 0, "acknowledged": 0, "failures": []}


def _finished(environment: Environment) -> None:
    STATE["done"] += 1
    if STATE["done"] >= STATE["users"] and environment.runner is not None:
        gevent.spawn_later(0.1, environment.runner.quit)


class Kiosk(FastHttpUser):
    """One room's kiosk at 17:00: push the afternoon, then pull what changed today."""

    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 30.0

    @task
    def sync(self) -> None:
        plan: KioskPlan = STATE["kiosks"].pop()
        auth = {"Authorization": f"Bearer {plan.token}"}
        try:
            for body in plan.bodies:
                raw = base64.b64decode(body)
                headers = {**auth, "Content-Type": "application/json"}
                if raw[:2] == b"\x1f\x8b":
                    headers["Content-Encoding"] = "gzip"
                with self.client.post(
                    "/v1/sync/events",
                    data=raw,
                    headers=headers,
                    name="push /v1/sync/events",
                    catch_response=True,
                ) as answer:
                    if answer.status_code != 200:
                        answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")
                        continue
                    STATE["acknowledged"] += int(answer.json()["acknowledged"])
            cursor, more = plan.cursor, True
            while more:
                with self.client.get(
                    f"/v1/sync/changes?after={cursor}",
                    headers=auth,
                    name="pull /v1/sync/changes",
                    catch_response=True,
                ) as answer:
                    if answer.status_code != 200:
                        answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")
                        break
                    page = answer.json()
                    cursor, more = page["cursor"], page["more"]
        finally:
            _finished(self.environment)
        raise StopUser()


class OfficeUser(HttpUser):
    """A school administrator (or the bureau) opening reports at the end of the day."""

    wait_time = constant(0)

    @task
    def read_reports(self) -> None:
        plan: OfficePlan = STATE["office"].pop()
        semester = STATE["semester"]
        try:
            form = self.client.get("/office/login", name="office login form")
            token = re.search(r'name="login_token" value="([^"]+)"', form.text)
            if token is None:
                raise StopUser()
            self.client.post(
                "/office/login",
                data={
                    "username": plan.username,
                    "password": STATE["password"],
                    "login_token": token.group(1),
                },
                name="office sign in",
            )
            if plan.school_id is None:
                self.client.get(f"/office/county?period={semester}", name="office county overview")
            else:
                base = f"/office/s/{plan.school_id}"
                self.client.get(f"{base}/", name="office school overview")
                for slug in REPORTS:
                    self.client.get(f"{base}/reports/{slug}?period={semester}", name=f"office report {slug}")
        finally:
            _finished(self.environment)
        raise StopUser()


@events.request.add_listener
def _note_failure(request_type: str, name: str, exception: BaseException | None, **_: Any) -> None:
    if exception is not None and len(STATE["failures"]) < 50:
        STATE["failures"].append(f"{request_type} {name}: {exception}")


def run(plan: LoadPlan) -> dict[str, Any]:
    host = urlparse(plan.host).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"county_load: load goes to this machine only, not {host}")
    STATE.update(kiosks=list(plan.kiosks), office=list(plan.office), semester=plan.semester)
    STATE.update(password=plan.password, users=len(plan.kiosks) + len(plan.office))
    Kiosk.fixed_count, OfficeUser.fixed_count = len(plan.kiosks), len(plan.office)
    classes: list[type[User]] = [c for c in (Kiosk, OfficeUser) if c.fixed_count]
    for user_class in classes:
        user_class.host = plan.host
    # Locust's own events, where _note_failure listens (an Environment makes new ones otherwise)
    environment = Environment(user_classes=classes, host=plan.host, events=events)
    runner = environment.create_local_runner()
    started = time.monotonic()
    timed_out = gevent.spawn_later(plan.time_limit, runner.quit)
    runner.start(STATE["users"], spawn_rate=STATE["users"] / max(plan.spawn_seconds, 0.1))
    runner.greenlet.join()
    seconds = time.monotonic() - started
    stopped_by_limit = STATE["done"] < STATE["users"]
    timed_out.kill()
    endpoints = {}
    for (name, method), entry in sorted(environment.stats.entries.items()):
        endpoints[name] = {
            "method": method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5) / 1000,
            "p95": entry.get_response_time_percentile(0.95) / 1000,
            "max": entry.max_response_time / 1000,
        }
    total = environment.stats.total
    return {
        "seconds": seconds,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "users": STATE["users"],
        "finished_users": STATE["done"],
        "stopped_by_time_limit": stopped_by_limit,
        "acknowledged_events": STATE["acknowledged"],
        "endpoints": endpoints,
        "failure_examples": STATE["failures"],
    }


def main() -> int:
    plan_path, result_path = Path(sys.argv[1]), Path(sys.argv[2])
    result = run(LoadPlan.read(plan_path))
    result_path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
