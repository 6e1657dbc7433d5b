"""What the server shows the network: no plain HTTP on a LAN address unless asked, no API map for
strangers, wrong enrolment codes throttled, and no enrolment code that lives for months."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from sync.server.bootstrap import open_central
from sync.server.cli.exposure import PlainHttpRefused, check_listen_address
from sync.server.devices import provisioning
from sync.server.devices.credentials import digest, new_enrolment_code, normalise_code
from sync.server.devices.enrolment_throttle import EnrolmentThrottle
from sync.server.devices.provisioning import AdminError
from sync.server.models import EnrolmentCode
from tests.support.processes import REPO, ServerProcess
from tests.sync.conftest import Central, SchoolRef


def serve_command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server", "--database", f"sqlite:///{tmp_path / 'c.sqlite3'}", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serving_plain_http_to_the_lan_is_refused_with_the_way_out(tmp_path: Path) -> None:
    refused = serve_command(tmp_path, "serve", "--host", "0.0.0.0", "--port", "1")
    assert refused.returncode != 0
    assert "--certfile" in refused.stderr and "--allow-plain-http" in refused.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "school-server"])
def test_addresses_other_machines_can_reach_need_tls_or_the_flag(host: str) -> None:
    with pytest.raises(PlainHttpRefused):
        check_listen_address(host, tls=False, allow_plain_http=False)
    check_listen_address(host, tls=True, allow_plain_http=False)
    check_listen_address(host, tls=False, allow_plain_http=True)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_this_machine_alone_may_use_plain_http(host: str) -> None:
    check_listen_address(host, tls=False, allow_plain_http=False)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_the_api_map_is_not_served_by_default(server: ServerProcess, path: str) -> None:
    assert requests.get(f"{server.url}{path}", timeout=10).status_code == 404


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, Central]]:
    """A server of its own: its throttle is filled on purpose."""
    server = ServerProcess(f"sqlite:///{tmp_path / 'central.sqlite3'}", tmp_path / "server.log").start()
    central = Central(open_central(server.database_url, migrate=False))
    yield server, central
    central.db.engine.dispose()
    server.stop()


def enrol(server: ServerProcess, code: str) -> requests.Response:
    body = {"code": code, "device_id": str(uuid.uuid4())}
    return requests.post(f"{server.url}/v1/enrol", json=body, timeout=10)


def test_wrong_enrolment_codes_are_throttled(own_server: tuple[ServerProcess, Central]) -> None:
    server, central = own_server
    school = central.new_school(demo=False)
    guesses = [enrol(server, new_enrolment_code()).status_code for _ in range(EnrolmentThrottle().per_client)]
    assert guesses == [403] * len(guesses)
    throttled = enrol(server, new_enrolment_code())
    assert throttled.status_code == 429 and throttled.json()["error"]["code"] == "enrolment_throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= 600
    assert enrol(server, central.code(school)).status_code == 429  # even a good code waits


def test_the_throttle_forgets_failures_older_than_its_window(tmp_path: Path) -> None:
    database = open_central(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    throttle = EnrolmentThrottle(per_client=3, overall=5, window=timedelta(minutes=10))
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    def failed(client: str, at: datetime) -> None:
        with database.writes() as session:
            throttle.failed(session, client, at)
            session.commit()

    def check(client: str, at: datetime) -> None:
        with database.reads() as session:
            throttle.check(session, client, at)

    for n in range(3):
        failed("10.0.0.7", start + timedelta(seconds=n))
    with pytest.raises(Exception, match="Too many wrong enrolment codes"):
        check("10.0.0.7", start + timedelta(minutes=5))
    check("10.0.0.8", start + timedelta(minutes=5))  # another kiosk is not held up …
    failed("10.0.0.8", start + timedelta(minutes=5))
    failed("10.0.0.9", start + timedelta(minutes=5))
    with pytest.raises(Exception, match="Too many"):  # … until guesses from everywhere add up
        check("10.0.0.10", start + timedelta(minutes=6))
    check("10.0.0.7", start + timedelta(minutes=10, seconds=3))
    database.engine.dispose()


def test_an_enrolment_code_lives_at_most_a_week(central: Central, school: SchoolRef) -> None:
    with central.edit() as session, pytest.raises(AdminError, match="7 days"):
        provisioning.issue_enrolment_code(session, school.room_id, timedelta(days=30))


def test_a_long_lived_code_from_before_stops_working_after_a_week(
    server: ServerProcess, central: Central, school: SchoolRef
) -> None:
    code, now = new_enrolment_code(), datetime.now(UTC)
    with central.edit() as session:  # issued by an older server for a year
        session.add(
            EnrolmentCode(
                code_hash=digest(normalise_code(code)),
                school_id=school.id,
                room_id=school.room_id,
                created_at=now - timedelta(days=8),
                expires_at=now + timedelta(days=357),
            )
        )
    answer = enrol(server, code)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "enrolment_code_expired"


def test_the_enrolment_code_command_refuses_a_lifetime_over_a_week(tmp_path: Path) -> None:
    made = serve_command(tmp_path, "admin", "create-school", "某某小学")
    room = serve_command(tmp_path, "admin", "create-room", "--school", made.stdout.strip(), "留守儿童之家")
    room_id = room.stdout.strip()
    refused = serve_command(tmp_path, "admin", "enrolment-code", "--room", room_id, "--hours", "720")
    assert refused.returncode == 2 and "7 days" in refused.stderr
