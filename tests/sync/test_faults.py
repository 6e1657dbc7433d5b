"""The network and the machines fail; after recovery the server holds every event exactly once and the
kiosk has nothing pending. Between the kiosk and the server sits a fault-injecting proxy on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sync.client.transport import Unreachable
from tests.support.processes import REPO, ServerProcess
from tests.sync.conftest import Central, Kiosk, SchoolRef, new_database_url
from tests.sync.faultproxy import Fault, FaultProxy

BATCH = 10


def taps(kiosk: Kiosk, count: int) -> None:
    """Children come and go: `count` sign-ins and sign-outs, one event each."""
    for n in range(count):
        kiosk.room.come_or_go(n % 12)
        kiosk.clock.advance(minutes=1)


def enrolled(new_kiosk, central: Central, school: SchoolRef, url: str, events: int = 35) -> Kiosk:
    kiosk = new_kiosk()
    kiosk.enrol(url, central.code(school))
    kiosk.client.batch_size = BATCH
    taps(kiosk, events)
    return kiosk


def assert_all_arrived_once(central: Central, kiosk: Kiosk) -> None:
    stored = central.events_of(kiosk.device_id)
    assert sorted(e.id for e in stored) == sorted(kiosk.outbox_ids())
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert kiosk.pending() == 0


def test_connection_cut_mid_batch(central, school, new_kiosk, proxy: FaultProxy) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url)
    proxy.inject(Fault.CUT_MID_REQUEST, after=1)  # the first batch goes through, the second is cut

    with pytest.raises(Unreachable):
        kiosk.sync()
    assert len(central.events_of(kiosk.device_id)) == BATCH
    assert kiosk.pending() == 35 - BATCH
    status = kiosk.client.status()
    assert not status.online and "unreachable" in (status.last_error or "")

    kiosk.sync()
    assert_all_arrived_once(central, kiosk)
    assert kiosk.client.status().last_error is None


@pytest.mark.parametrize("fault", [Fault.ERROR_500, Fault.ERROR_500_AFTER_COMMIT, Fault.CUT_BEFORE_RESPONSE])
def test_server_answers_500_or_the_answer_is_lost(
    central, school, new_kiosk, proxy: FaultProxy, fault
) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url)
    proxy.inject(fault)

    with pytest.raises(Unreachable):
        kiosk.sync()
    assert kiosk.pending() == 35  # nothing was acknowledged, so nothing is marked sent
    reached = len(central.events_of(kiosk.device_id))
    assert reached == (0 if fault is Fault.ERROR_500 else BATCH)

    kiosk.sync()
    assert_all_arrived_once(central, kiosk)


def test_slow_server_times_out_then_the_resend_is_a_duplicate(central, school, new_kiosk, proxy) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url)
    proxy.inject(Fault.SLOW, delay=4.0)  # longer than the client's 3 s read timeout

    with pytest.raises(Unreachable):
        kiosk.sync()
    assert len(central.events_of(kiosk.device_id)) == BATCH  # the server did its part
    assert kiosk.pending() == 35

    kiosk.sync()
    assert_all_arrived_once(central, kiosk)


def test_slow_but_patient_sync_succeeds(central, school, new_kiosk, proxy) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url)
    proxy.inject(Fault.SLOW, delay=1.0)
    assert kiosk.sync().pushed == 35
    assert_all_arrived_once(central, kiosk)


def test_the_same_batch_delivered_twice_is_stored_once(central, school, new_kiosk, proxy) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url)
    proxy.inject(Fault.DUPLICATE, after=2)
    before = proxy.reached_server["/v1/sync/events"]
    kiosk.sync()
    # 4 batches of 35 events (the last one short), and the third batch once more
    assert proxy.reached_server["/v1/sync/events"] - before == 5
    assert_all_arrived_once(central, kiosk)


def test_server_restarts_while_kiosk_keeps_working(backend, request, tmp_path: Path, new_kiosk) -> None:
    server = ServerProcess(new_database_url(backend, request, tmp_path), tmp_path / "server.log").start()
    request.addfinalizer(server.stop)
    from sync.server.bootstrap import open_central

    central = Central(open_central(server.database_url, migrate=False))
    request.addfinalizer(central.db.engine.dispose)
    school = central.new_school()
    kiosk = enrolled(new_kiosk, central, school, server.url, events=15)
    kiosk.sync()

    server.kill()  # the school's server loses power
    taps(kiosk, 12)
    with pytest.raises(Unreachable):
        kiosk.sync()
    assert kiosk.pending() == 12
    assert not kiosk.client.status().online

    server.start()
    kiosk.sync()
    assert_all_arrived_once(central, kiosk)
    assert kiosk.client.status().online


def test_kiosk_killed_during_a_sync_resumes(central, school, new_kiosk, proxy: FaultProxy) -> None:
    kiosk = enrolled(new_kiosk, central, school, proxy.url, events=250)
    proxy.inject(Fault.HOLD, after=1)  # the second batch is stored, its answer never comes back

    env = dict(os.environ, PYTHONPATH=str(REPO))
    syncing = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--db", str(kiosk.path), "--batch-size", "100", "now"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proxy.holding.wait(60), "the kiosk process never reached its second batch"
    finally:
        os.kill(syncing.pid, signal.SIGKILL)  # the plug is pulled mid-sync
        syncing.wait()
        proxy.release()
    assert len(central.events_of(kiosk.device_id)) == 200
    assert kiosk.pending() == len(kiosk.outbox_ids()) - 100  # only the first acknowledgement arrived

    kiosk.sync()
    assert_all_arrived_once(central, kiosk)
