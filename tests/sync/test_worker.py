"""The background worker the kiosk app runs: it never blocks the caller, backs off while the server is
away, and empties the backlog once it is back."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.models import Contact
from sync.client.worker import Backoff, SyncWorker
from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, Kiosk, SchoolRef, new_database_url
from tests.sync.faultproxy import Fault, FaultProxy
from tests.sync.test_faults import taps


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    backoff = Backoff(base=2.0, cap=60.0, rng=random.Random(7))
    for failures, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (30, 60.0)]:
        delays = [backoff.delay(failures) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # really jittered, not one fixed value


def test_worker_backs_off_while_the_server_fails_then_catches_up(
    central: Central, school: SchoolRef, new_kiosk, proxy: FaultProxy
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(proxy.url, central.code(school))
    taps(kiosk, 30)
    kiosk.client.batch_size = 10
    for _ in range(3):
        proxy.inject(Fault.ERROR_500)
    worker = SyncWorker(kiosk.client, interval=3600, backoff=Backoff(base=0.05, cap=0.2))

    worker.start()
    try:
        wait_for(lambda: proxy.pending_faults() == 0 and worker.failures == 0)
        wait_for(lambda: kiosk.pending() == 0)
        status = worker.status()
        assert status.online and status.last_error is None and status.last_success_at is not None
        assert len(central.events_of(kiosk.device_id)) == 30

        kiosk.room.tap(11)
        assert worker.status().pending_events == 1
        worker.sync_now()  # the interval is an hour: only the request can make this happen
        wait_for(lambda: kiosk.pending() == 0)
    finally:
        worker.stop()
    assert len(central.events_of(kiosk.device_id)) == 31


def test_sync_now_and_status_never_wait_for_a_hanging_server(
    central: Central, school: SchoolRef, new_kiosk, proxy: FaultProxy
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(proxy.url, central.code(school))
    kiosk.room.tap(0)
    proxy.inject(Fault.HOLD)
    worker = SyncWorker(kiosk.client, interval=3600)
    worker.start()
    try:
        assert proxy.holding.wait(10)  # the worker is stuck inside a request
        started = time.monotonic()
        worker.sync_now()
        status = worker.status()
        assert time.monotonic() - started < 0.5
        assert status.pending_events == 1
    finally:
        proxy.release()
        worker.stop()


def test_worker_records_the_error_while_the_server_is_down_and_recovers(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, new_kiosk
) -> None:
    from sync.server.bootstrap import open_central

    server = ServerProcess(new_database_url(backend, request, tmp_path), tmp_path / "server.log").start()
    request.addfinalizer(server.stop)
    central = Central(open_central(server.database_url, migrate=False))
    request.addfinalizer(central.db.engine.dispose)
    school = central.new_school(demo=True)
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    server.kill()
    kiosk.room.tap(0)

    worker = SyncWorker(kiosk.client, interval=3600, backoff=Backoff(base=0.1, cap=0.3))
    worker.start()
    try:
        wait_for(lambda: worker.failures >= 2)
        status = worker.status()
        assert not status.online and "unreachable" in (status.last_error or "")
        assert status.pending_events == 1
        server.start()
        wait_for(lambda: worker.failures == 0)  # set once the whole sync (push, then pull) is through
        assert kiosk.pending() == 0 and worker.status().online and worker.status().last_error is None
    finally:
        worker.stop()


def crash_while_writing_a_pulled_contact(kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The pull's write fails as SQLite would say it: the statement and the row's values in the message."""
    with kiosk.uow.read() as session:
        contact = session.scalars(select(Contact)).first()
        assert contact is not None
        name, phone = contact.name, contact.phone

    def broken(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError(
            "INSERT INTO contacts (id, child_id, relation, name, phone) VALUES (?, ?, ?, ?, ?)",
            (str(contact.id), str(contact.child_id), "mother", name, phone),
            Exception("UNIQUE constraint failed: contacts.id"),
        )

    monkeypatch.setattr("sync.client.client.apply_rows", broken)
    return name, phone


def test_a_crashing_sync_is_logged_without_the_rows_it_was_writing(
    central: Central, school: SchoolRef, new_kiosk, server: ServerProcess, caplog, monkeypatch
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    name, phone = crash_while_writing_a_pulled_contact(kiosk, monkeypatch)
    caplog.set_level(logging.INFO)

    worker = SyncWorker(kiosk.client, interval=3600)
    assert not worker.run_once()
    assert worker.failures == 1
    assert "IntegrityError" in caplog.text  # the administrator still learns what kind of failure
    assert name not in caplog.text and phone not in caplog.text


def test_a_crashing_sync_shows_on_the_status_without_the_rows(
    central: Central, school: SchoolRef, new_kiosk, server: ServerProcess, monkeypatch
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    assert kiosk.client.status().last_error is None
    name, phone = crash_while_writing_a_pulled_contact(kiosk, monkeypatch)

    with pytest.raises(IntegrityError):
        kiosk.sync()
    error = kiosk.client.status().last_error
    assert error is not None and "IntegrityError" in error  # not the last success, unchanged
    assert name not in error and phone not in error

    monkeypatch.undo()
    kiosk.sync()
    assert kiosk.client.status().last_error is None
