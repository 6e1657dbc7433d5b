"""One bad event never stops a kiosk's uploads: the server sets it aside, with the reason, for the school
office, acknowledges it, and stores the rest of the batch as usual.

Set aside: an unknown type (a kiosk newer than its server), a payload that does not match its type (a
card number longer than the server's column, written by an older kiosk), an event the database itself
refuses. Before, each of these failed its whole batch on every retry, and nothing after it arrived.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from db.events import CardRegistered
from sync.server.models.facts import SetAsideReason
from tests.support.processes import REPO, ServerProcess
from tests.sync.conftest import Central, Kiosk, SchoolRef
from tests.sync.rawapi import batch, push, refused, sign_in


def record_as_an_older_kiosk_did(kiosk: Kiosk, event: CardRegistered) -> None:
    """Kiosks before the card-number limit recorded whatever the reader gave; the event is written
    unvalidated, as they wrote it."""
    with kiosk.uow:
        kiosk.uow.record(event)
        kiosk.uow.commit()


def test_a_poison_event_in_the_middle_of_a_backlog_is_set_aside_and_the_rest_arrive(
    server: ServerProcess, central: Central, school: SchoolRef, new_kiosk
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    kiosk.client.batch_size = 10
    for n in range(25):
        kiosk.room.come_or_go(n % 12)
        kiosk.clock.advance(minutes=1)
    forty = "0A" * 20
    poison = CardRegistered.model_construct(
        card_uid=forty, child_id=kiosk.room.child(30), staff_id=None, registered_by=kiosk.room.staff()
    )
    record_as_an_older_kiosk_did(kiosk, poison)
    for n in range(25):
        kiosk.room.come_or_go(n % 12)
        kiosk.clock.advance(minutes=1)

    report = kiosk.sync()

    assert report.pushed == 51
    assert kiosk.pending() == 0 and kiosk.client.status().last_error is None
    [set_aside] = central.set_aside(school)
    assert set_aside.device_id == kiosk.device_id and set_aside.seq == 26
    assert set_aside.reason is SetAsideReason.INVALID_PAYLOAD
    assert set_aside.detail["fields"] == ["card_uid"] and forty not in json.dumps(set_aside.detail)
    assert set_aside.event["payload"]["card_uid"] == forty  # kept whole for the office
    stored = central.events_of(kiosk.device_id)
    assert [e.seq for e in stored] == [s for s in range(1, 52) if s != 26]
    assert {e.id for e in stored} | {set_aside.id} == kiosk.outbox_ids()


def test_unknown_types_and_mismatched_payloads_are_set_aside_and_their_neighbours_stored(
    server, central, school, device
) -> None:
    unknown = sign_in(2, type="visit.teleported")
    mismatched = sign_in(3)
    mismatched["payload"] = {"child_id": "王芳 13800009999"}
    body = batch(device, [sign_in(1), unknown, mismatched, sign_in(4)])

    answer = push(server, device.auth, body)

    assert answer.status_code == 200, answer.text
    ack = answer.json()
    assert (ack["acknowledged"], ack["new"], ack["set_aside"], ack["duplicates"]) == (4, 2, 2, 0)
    assert central.event_count(school) == 2
    by_seq = {e.seq: e for e in central.set_aside(school)}
    assert by_seq[2].reason is SetAsideReason.UNKNOWN_EVENT_TYPE and by_seq[2].type == "visit.teleported"
    assert by_seq[3].reason is SetAsideReason.INVALID_PAYLOAD
    assert "child_id" in by_seq[3].detail["fields"] and "13800009999" not in json.dumps(by_seq[3].detail)

    again = push(server, device.auth, body).json()  # the answer was lost; the kiosk sends it again
    assert (again["new"], again["duplicates"], again["set_aside"]) == (0, 2, 2)
    assert len(central.set_aside(school)) == 2 and central.event_count(school) == 2


def test_an_event_the_database_refuses_is_set_aside_and_its_neighbours_stored(
    server, central, school, device
) -> None:
    """Valid on the wire, yet no database column can hold its time (year 10000 in UTC): it used to fail
    its batch with a 500 on every retry. Its neighbours still go through the conflict rules."""
    events = [sign_in(n) for n in range(1, 10)]
    events[4]["occurred_at"] = "9999-12-31T23:00:00-05:00"

    answer = push(server, device.auth, batch(device, events))

    assert answer.status_code == 200, answer.text
    assert (answer.json()["new"], answer.json()["set_aside"]) == (8, 1)
    [set_aside] = central.set_aside(school)
    assert set_aside.seq == 5 and set_aside.reason is SetAsideReason.COULD_NOT_STORE
    assert [e.seq for e in central.events_of(device.id)] == [1, 2, 3, 4, 6, 7, 8, 9]
    assert len(central.conflicts(school)) == 8  # each stored sign-in names a child this school lacks


def test_another_event_under_a_set_aside_events_seq_is_a_clash(server, central, school, device) -> None:
    assert push(server, device.auth, batch(device, [sign_in(1, type="visit.teleported")])).status_code == 200
    refused(push(server, device.auth, batch(device, [sign_in(1)])), 409, "event_clash")
    assert central.event_count(school) == 0 and len(central.set_aside(school)) == 1


def test_the_office_lists_set_aside_events(server, central, school, device) -> None:
    push(server, device.auth, batch(device, [sign_in(1, type="visit.teleported")]))
    listing = subprocess.run(
        [sys.executable, "-m", "sync.server", "--database", server.database_url, "admin", "set-aside",
         "--school", str(school.id)],
        cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    [line] = listing.stdout.splitlines()
    assert f"device={device.id} seq=1" in line and "unknown_event_type" in line
