"""A kiosk re-enrolled as a new device: its backup on a new SD card, its unsent events, a power cut in
the middle. Real SQLite files, the kiosk's own backups, a real SyncClient and a real server."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.backups import make_backup
from sync.client import new_identity
from sync.client.transport import Refused
from sync.server.models import ReceivedEvent
from tests.sync.conftest import Central, Kiosk, SchoolRef
from tests.sync.test_faults import taps


def school_events(central: Central, school: SchoolRef) -> list[ReceivedEvent]:
    with central.db.reads() as session:
        return list(session.scalars(select(ReceivedEvent).where(ReceivedEvent.school_id == school.id)))


def backup_on_a_new_card(kiosk: Kiosk, new_kiosk) -> Kiosk:
    """The school technician puts the kiosk's newest backup on a freshly imaged SD card: the file comes
    with the old device id, the token (never in a backup) does not."""
    backup = make_backup(kiosk.path, "daily", datetime.now(UTC))
    card = new_kiosk("new-card")
    card.close()
    shutil.copyfile(backup.path, card.path)
    return Kiosk(card.path)


def test_a_backup_on_a_new_card_is_re_enrolled_as_a_new_device_and_nothing_is_sent_twice(
    server, central: Central, school: SchoolRef, new_kiosk
) -> None:
    old = new_kiosk()
    old.enrol(server.url, central.code(school))
    old.client.batch_size = 10
    taps(old, 12)
    old.sync()
    taps(old, 5)  # unsent in the backup, sent by the old card afterwards: the server has them
    card = backup_on_a_new_card(old, new_kiosk)
    old.sync()
    taps(old, 3)  # the old card dies with these three unsent: they are lost with it
    assert card.device_id == old.device_id and card.pending() == 5
    assert not card.client.status().configured  # the token stayed on the old card

    with pytest.raises(Refused) as refused:  # enrolling the copied id again: the server says no
        card.client.enrol(server.url, central.code(school))
    assert refused.value.code == "device_already_enrolled"

    in_backup = card.outbox_ids()
    card.clock.advance(timedelta(days=1))
    taps(card, 7)  # the room goes on, on the new card, before the office's code arrives
    made_on_card = card.outbox_ids() - in_backup
    card.client.batch_size = 4
    report = card.client.enrol_as_new_device(server.url, central.code(school))

    assert card.device_id != old.device_id
    assert card.pending() == 0 and report.snapshot
    held_by_old = {e.id for e in central.events_of(old.device_id)}
    held_by_new = {e.id for e in central.events_of(card.device_id)}
    assert len(held_by_old) == 17 and in_backup <= held_by_old  # the 5 were recognised, not stored again
    assert held_by_new == made_on_card
    every = school_events(central, school)
    assert len(every) == len({e.id for e in every}) == len(held_by_old) + len(made_on_card)
    taps(card, 2)  # and the new identity's stream goes on
    card.sync()
    assert card.pending() == 0
    assert {e.id for e in central.events_of(card.device_id)} == card.outbox_ids() - in_backup


def test_a_code_of_another_school_is_refused_while_events_wait_for_the_first(
    server, central: Central, school: SchoolRef, new_kiosk
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    before = kiosk.device_id
    other = central.new_school()
    taps(kiosk, 3)
    kiosk.client.token_path.unlink()  # the old token is gone: nothing can be sent under the old identity
    with pytest.raises(Refused) as refused:
        kiosk.client.enrol_as_new_device(server.url, central.code(other))
    assert refused.value.code == "unsent_for_another_school"
    assert kiosk.device_id == before and kiosk.pending() == 3
    assert not list(kiosk.path.parent.glob("*.sync-token*"))  # no token of the other school's device

    kiosk.client.enrol_as_new_device(server.url, central.code(school))  # its own school: all arrive
    assert kiosk.pending() == 0
    assert len(school_events(central, school)) == len(kiosk.outbox_ids())


@pytest.mark.parametrize("cut", ["before the database took the identity", "after it, before the token"])
def test_a_power_cut_during_re_enrolment_leaves_one_identity_with_its_own_token(
    server, central: Central, school: SchoolRef, new_kiosk, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    old_id = kiosk.device_id
    taps(kiosk, 4)

    class PowerCut(BaseException):
        pass

    def lose_power(_path: object, device_id: object) -> None:
        if device_id != old_id:  # the step that finishes the new identity, not the old one's sync
            raise PowerCut

    if cut.startswith("before"):
        monkeypatch.setattr(new_identity, "take_identity", lose_power)
    else:
        monkeypatch.setattr("sync.client.client.settle_staged_token", lose_power)
    with pytest.raises(PowerCut):
        kiosk.client.enrol_as_new_device(server.url, central.code(school), then_sync=False)
    monkeypatch.undo()
    kiosk.close()

    again = Kiosk(kiosk.path)  # the power is back: the kiosk starts again on the same files
    taps(again, 2)
    again.sync()
    assert again.pending() == 0
    staged = list(again.client.token_path.parent.glob(again.client.token_path.name + ".*-*"))
    assert staged == []
    if cut.startswith("before"):
        assert again.device_id == old_id
    else:
        assert again.device_id != old_id
    every = school_events(central, school)
    assert len(every) == len({e.id for e in every}) == len(again.outbox_ids())
    again.close()
