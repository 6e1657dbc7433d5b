"""The kiosk's card fills up while it syncs: a real tmpfs under the kiosk's database, a real SyncClient
and its worker against the real server. Sync pauses with the reason on the sync page, nothing stored
is lost, and once space is freed it goes on by itself with every event on the server exactly once."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Child
from sync.client.worker import SyncWorker
from tests.support.full_card import fill, tmpfs
from tests.sync.conftest import Central, Kiosk, SchoolRef
from tests.sync.test_faults import taps
from tests.sync.test_new_identity import school_events

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


def test_a_full_card_pauses_sync_loses_nothing_and_sync_resumes_when_space_returns(
    server, central: Central, school: SchoolRef, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with tmpfs(tmp_path / "card", "16m") as card:
        kiosk = Kiosk(card / "kiosk.sqlite3")
        kiosk.enrol(server.url, central.code(school))
        kiosk.client.batch_size = 10
        taps(kiosk, 25)
        made = kiosk.outbox_ids()
        with kiosk.uow.engine.connect() as connection:  # an empty WAL: marking a batch sent must grow it
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = fill(card)

        worker = SyncWorker(kiosk.client)
        with caplog.at_level(logging.DEBUG):
            assert worker.run_once() is False  # the worker's thread lives on; it is only a full card
        status = kiosk.client.status()
        assert status.storage_full == str(card)
        assert status.pending_events == len(made)  # the server may hold a batch: the kiosk never heard
        assert kiosk.outbox_ids() == made
        said = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
        assert "storage (disk_full)" in said
        with kiosk.uow.read() as session:
            names = [child.name for child in session.scalars(select(Child))]
        assert names and not any(name in said for name in names)

        filler.unlink()
        assert worker.run_once() is True  # the next look simply works: no restart, no teacher
        status = kiosk.client.status()
        assert status.storage_full is None and status.pending_events == 0 and status.last_error is None

        received = [event.id for event in school_events(central, school)]
        assert sorted(received) == sorted(made) and len(set(received)) == len(received)
        kiosk.close()
