"""Event ids are scoped per school: a kiosk of one school can neither learn whether an id exists in
another school nor take one first and make the other school's uploads clash."""

from __future__ import annotations

import pytest

from tests.sync.rawapi import batch, enrol_raw, push, refused, sign_in


def test_two_schools_pushing_the_same_event_id_both_store_it_and_neither_is_blocked(
    server, central, school, device
) -> None:
    other_school = central.new_school("另一所小学", demo=False)
    stranger = enrol_raw(server, central, other_school)
    event = sign_in(1)

    first = push(server, stranger.auth, batch(stranger, [event]))
    second = push(server, device.auth, batch(device, [event]))

    for answer in (first, second):
        assert answer.status_code == 200, answer.text
        assert answer.json()["new"] == 1  # the same answer as for an id nobody has used
    for raw in (stranger, device):
        more = push(server, raw.auth, batch(raw, [sign_in(2)]))
        assert more.status_code == 200 and more.json()["new"] == 1
    assert central.event_count(school) == central.event_count(other_school) == 2
    assert [e.id for e in central.events_of(device.id)][0] == [e.id for e in central.events_of(stranger.id)][
        0
    ]


def test_within_one_school_an_id_another_kiosk_stored_is_a_clash_unless_it_is_the_same_event(
    server, central, school, device
) -> None:
    """The same event from another kiosk of the school is one copied with its database (a kiosk
    re-enrolled as a new device, sync.client.new_identity): acknowledged, held once. Another event
    under a held id is a clash."""
    neighbour = enrol_raw(server, central, school)
    event = sign_in(1)
    assert push(server, neighbour.auth, batch(neighbour, [event])).status_code == 200
    forged = dict(event, payload=dict(event["payload"], card_uid="04FFFFFF"))
    refused(push(server, device.auth, batch(device, [forged])), 409, "event_clash")
    again = push(server, device.auth, batch(device, [dict(event, seq=4), sign_in(5)]))
    assert again.status_code == 200, again.text
    assert again.json()["new"] == 1 and again.json()["acknowledged"] == 2
    assert central.event_count(school) == 2


@pytest.mark.parametrize("event_type", ["visit.signed_in", "visit.teleported"], ids=["fact", "set-aside"])
def test_an_id_sent_again_under_another_seq_is_a_clash_unless_it_is_the_same_event(
    server, central, school, device, event_type
) -> None:
    """Found by the fuzzer: the id is stored under seq 5, then sent under seq 3 beside a new event; the
    insert skipped it and the server answered 500 instead of naming the clash. The very same event
    is held once and acknowledged; another event under that id is the clash."""
    first = sign_in(5, type=event_type)
    assert push(server, device.auth, batch(device, [first])).status_code == 200
    other = dict(first, seq=3, payload=dict(first["payload"], card_uid="04FFFFFF"))
    refused(
        push(server, device.auth, batch(device, [other, sign_in(7, type=event_type)])), 409, "event_clash"
    )
    again = push(server, device.auth, batch(device, [dict(first, seq=3), sign_in(7, type=event_type)]))
    assert again.status_code == 200, again.text
    answer = again.json()
    if event_type == "visit.signed_in":
        assert (answer["new"], answer["duplicates"], answer["set_aside"]) == (1, 1, 0)
    else:  # an event set aside before counts as set aside when it comes again
        assert (answer["new"], answer["duplicates"], answer["set_aside"]) == (0, 0, 2)
