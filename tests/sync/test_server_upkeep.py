"""Keeping the central server running: several worker processes whose metrics add up, /healthz saying
what is wrong in words until a backup is made and checked, the upkeep commands as an administrator
types them (backup, backups, check-backup, restore-backup, admin make-certificates), and /metrics
only for this machine and the networks named for it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.server.app import create_app
from sync.server.bootstrap import open_central
from sync.server.models import School
from sync.server.operations.metrics import allowed_networks, may_scrape
from tests.support.processes import REPO, PostgresCluster, ServerProcess
from tests.sync.central import Central
from tests.sync.rawapi import batch, enrol_raw, push, sign_in

WORKERS = 3


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels`."""
    total = 0.0
    for found_labels, value in re.findall(rf"^{name}(?:{{([^}}]*)}})? (\S+)$", text, re.MULTILINE):
        pairs = dict(re.findall(r'(\w+)="([^"]*)"', found_labels))
        if all(pairs.get(k) == v for k, v in labels.items()):
            total += float(value)
    return total


def run_command(database_url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server", "--database", database_url, *arguments],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def workers_server(
    postgres: PostgresCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ServerProcess, Central, Path]]:
    """A server of three worker processes on PostgreSQL, counting its metrics in a folder we can see."""
    counted = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(counted))
    url = postgres.create_database("workers")
    server = ServerProcess(url, tmp_path / "server.log", serve_args=["--workers", str(WORKERS)]).start()
    central = Central(open_central(url, migrate=False))
    yield server, central, counted
    central.db.engine.dispose()
    server.stop()


def test_several_workers_count_one_set_of_metrics(workers_server) -> None:
    server, central, counted = workers_server
    school = central.new_school()
    device = enrol_raw(server, central, school)
    for n in range(40):  # a new connection each: the kernel hands them to whichever worker waits
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200, n
    stored = push(
        server, device.auth, batch(device, [sign_in(1), sign_in(2), sign_in(3, type="visit.teleported")])
    )
    assert stored.status_code == 200, stored.text

    text = requests.get(f"{server.url}/metrics", timeout=10).text
    assert metric(text, "liushou_http_requests_total", route="/healthz", status="200") == 40
    assert metric(text, "liushou_http_requests_total", route="/v1/sync/events", status="200") == 1
    assert metric(text, "liushou_http_request_duration_seconds_count", route="/healthz") == 40
    assert metric(text, "liushou_sync_batches_total") == 1
    assert metric(text, "liushou_sync_events_stored_total") == 2
    assert metric(text, "liushou_sync_events_set_aside_total") == 1
    assert "liushou_backup_newest_good_age_seconds +Inf" in text
    pids = {name.split("_")[-1] for name in os.listdir(counted) if name.startswith("counter_")}
    assert len(pids) >= 2, pids  # counted by more than one process, added up in one answer


def test_health_says_what_is_wrong_until_a_backup_is_made_and_checked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    server = ServerProcess(url, tmp_path / "server.log").start()
    try:
        before = requests.get(f"{server.url}/healthz", timeout=10)
        assert before.status_code == 200
        assert (
            before.json()["status"] == "degraded" and "there is no good backup" in before.json()["problems"]
        )

        made = run_command(url, "backup")
        assert made.returncode == 0, made.stderr
        backup = Path(made.stdout.strip())
        assert backup.parent == tmp_path / "backups" and backup.name.startswith("central-daily-")
        middle = requests.get(f"{server.url}/healthz", timeout=10).json()
        assert middle["problems"] == ["no backup has been restored and checked in the last week"]

        checked = run_command(url, "check-backup")
        assert checked.returncode == 0, checked.stderr
        assert "every count as when it was made" in checked.stdout
        after = requests.get(f"{server.url}/healthz", timeout=10).json()
        assert after["status"] == "ok" and after["backups"]["last_check"]["ok"] is True, after
        text = requests.get(f"{server.url}/metrics", timeout=10).text
        assert metric(text, "liushou_backup_check_ok") == 1
        assert 0 <= metric(text, "liushou_backup_newest_good_age_seconds") < 600

        listed = run_command(url, "backups")
        assert backup.name in listed.stdout and "whole" in listed.stdout
    finally:
        server.stop()


def test_a_restore_waits_for_the_server_to_stop(postgres: PostgresCluster, tmp_path: Path) -> None:
    url = postgres.create_database("restoring")
    folder = str(tmp_path / "backups")
    server = ServerProcess(url, tmp_path / "server.log", serve_args=["--backup-dir", folder]).start()
    central = Central(open_central(url, migrate=False))
    try:
        kept = central.new_school("备份时的学校", demo=False)
        made = run_command(url, "backup", "--backup-dir", folder)
        assert made.returncode == 0, made.stderr
        central.new_school("备份后的学校", demo=False)
        name = Path(made.stdout.strip()).name

        refused = run_command(url, "restore-backup", "--backup-dir", folder, name)
        assert refused.returncode == 2 and "stop the server first" in refused.stderr
        server.stop()
        central.db.engine.dispose()
        restored = run_command(url, "restore-backup", "--backup-dir", folder, name)
        assert restored.returncode == 0, restored.stderr
        again = open_central(url, migrate=False)
        with again.reads() as session:
            assert session.scalars(select(School.id)).all() == [kept.id]
        again.engine.dispose()
    finally:
        server.stop()


def test_make_certificates_says_what_each_kiosk_is_given(tmp_path: Path) -> None:
    done = run_command(
        "sqlite:///unused.sqlite3", "admin", "make-certificates", "--dir", str(tmp_path / "tls"),
        "--address", "10.20.0.5", "--address", "liushou.county.lan", "--county", "某某县教育局",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"give each kiosk {tmp_path / 'tls' / 'ca.crt'} as ca_file under [sync]" in done.stdout
    assert "server certificate: made for 10.20.0.5, liushou.county.lan" in done.stdout
    assert not (REPO / "unused.sqlite3").exists()  # no database was opened for it
    wrong = run_command("sqlite:///unused.sqlite3", "admin", "make-certificates", "--address", "not a name")
    assert wrong.returncode == 2 and "neither an IP address nor a host name" in wrong.stderr


def test_metrics_answer_this_machine_and_the_named_networks_only(tmp_path: Path) -> None:
    networks = allowed_networks("10.20.0.0/24, 192.168.7.9")
    assert may_scrape("127.0.0.1", networks) and may_scrape("::1", networks)
    assert may_scrape("10.20.0.77", networks) and may_scrape("192.168.7.9", networks)
    assert not may_scrape("10.20.1.1", networks) and not may_scrape("192.168.7.10", networks)
    assert not may_scrape("testclient", networks) and not may_scrape(None, networks)
    with pytest.raises(ValueError, match="not an address or a network"):
        allowed_networks("10.20.0.0/33")
    database = open_central(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    try:
        stranger = TestClient(create_app(database))  # its requests come from "testclient", not an address
        assert stranger.get("/metrics").status_code == 404
        assert stranger.get("/healthz").status_code == 200
    finally:
        database.engine.dispose()
    refused = run_command(f"sqlite:///{tmp_path / 'c.sqlite3'}", "serve", "--metrics-from", "everyone")
    assert refused.returncode != 0 and "--metrics-from" in refused.stderr
