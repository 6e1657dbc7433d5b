"""A kiosk put back on an old backup of its database keeps syncing: what the server already holds is
recognised, what the kiosk makes afterwards goes after it, every event is on the server exactly once and
nothing stays pending. Real SQLite files, the kiosk's own backups, a real SyncClient and server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from db.backups import make_backup, restore_backup
from db.clock import ManualClock
from kiosk.services.database_open import open_database
from sync.client import SyncClient
from tests.sync.conftest import Central, Kiosk, SchoolRef, quick_api
from tests.sync.test_faults import taps


def reopened(kiosk: Kiosk, clock: ManualClock) -> Kiosk:
    """The kiosk started again on the same path (after its file was replaced)."""
    kiosk.close()
    again = Kiosk.__new__(Kiosk)
    again.path, again.clock = kiosk.path, clock
    again.uow = open_database(kiosk.path, clock)
    again.client = SyncClient(again.uow.engine, clock, api_factory=quick_api)
    return again


def test_a_restored_backup_syncs_again_with_every_event_once(
    server, central: Central, school: SchoolRef, new_kiosk
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.client.batch_size = 10
    taps(kiosk, 12)
    kiosk.sync()
    taps(kiosk, 5)  # made before the backup, sent only after it: the backup has them unsent
    backup = make_backup(kiosk.path, "daily", datetime.now(UTC))
    kiosk.sync()
    taps(kiosk, 20)  # after the backup: on the server, lost from the kiosk's file
    kiosk.sync()
    before_restore = {e.id for e in central.events_of(kiosk.device_id)}
    assert len(before_restore) == 37

    kiosk.close()
    restore_backup(kiosk.path, backup.path)
    restored = reopened(kiosk, kiosk.clock)
    restored.clock.advance(timedelta(hours=1))
    taps(restored, 8)  # the room goes on, on the old file

    restored.sync()

    stored = central.events_of(restored.device_id)
    assert restored.pending() == 0
    assert len(stored) == len({e.id for e in stored}) == 37 + 8  # each exactly once
    assert before_restore | restored.outbox_ids() == {e.id for e in stored}
    assert [e.seq for e in stored] == list(range(1, 46))
    taps(restored, 3)  # and the stream simply goes on
    restored.sync()
    assert restored.pending() == 0 and len(central.events_of(restored.device_id)) == 48
    restored.close()
