"""Requests a kiosk should never send, or a stranger might: each gets a 4xx with a stable code and a
sentence a person can act on, and the server stores nothing from it. (The one exception at the end: a
well-formed fact from a buggy kiosk is still a fact, and must not jam its uploads with 500s.) Events the
server cannot take as facts inside a well-formed batch are set aside instead: see test_set_aside.py."""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

import pytest
import requests

from sync.server.devices import provisioning
from sync.wire import MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH
from tests.sync.rawapi import RawDevice, batch, enrol_raw, push, refused, sign_in


def test_a_good_batch_is_accepted_so_the_refusals_below_mean_something(server, central, school, device):
    answer = push(server, device.auth, batch(device, [sign_in(1)]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["new"] == 1
    assert central.event_count(school) == 1


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "token_missing"),
        ({"Authorization": "Bearer nonsense"}, "token_invalid"),
        ({"Authorization": "Bearer 0123456789abcdef.not-the-secret"}, "token_invalid"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "token_missing"),
    ],
)
def test_without_a_valid_token_nothing_is_stored(server, central, school, device, headers, code):
    refused(push(server, headers, batch(device, [sign_in(1)])), 401, code)
    refused(requests.get(f"{server.url}/v1/sync/changes", headers=headers, timeout=10), 401, code)
    assert central.event_count(school) == 0


def test_a_token_with_the_wrong_secret_is_refused(server, central, school, device):
    token_id = device.token.partition(".")[0]
    wrong = RawDevice(device.id, f"{token_id}.{'x' * 43}")
    refused(push(server, wrong.auth, batch(device, [sign_in(1)])), 401, "token_invalid")
    assert central.event_count(school) == 0


def test_a_revoked_kiosk_is_refused(server, central, school, device):
    with central.edit() as session:
        provisioning.revoke_device(session, device.id)
    refused(push(server, device.auth, batch(device, [sign_in(1)])), 401, "token_revoked")
    assert central.event_count(school) == 0


def test_a_device_of_another_school_cannot_push_as_this_one(server, central, school, device):
    other_school = central.new_school("另一所小学", demo=False)
    stranger = enrol_raw(server, central, other_school)
    refused(push(server, stranger.auth, batch(device, [sign_in(1)])), 403, "device_mismatch")
    assert central.event_count(school) == 0
    assert central.event_count(other_school) == 0


def test_a_device_of_another_school_sees_only_its_own_school(server, central, school, device):
    other_school = central.new_school("另一所小学", demo=False)
    stranger = enrol_raw(server, central, other_school)
    mine = requests.get(f"{server.url}/v1/sync/changes", headers=device.auth, timeout=30).json()
    theirs = requests.get(f"{server.url}/v1/sync/changes", headers=stranger.auth, timeout=30).json()
    assert len(mine["children"]) > 50  # the demo school
    assert theirs["school_id"] == str(other_school.id)
    assert theirs["children"] == [] and theirs["cards"] == [] and theirs["copies"] == []


def test_enrolment_codes_are_one_time(server, central, school):
    code = central.code(school)
    first = requests.post(
        f"{server.url}/v1/enrol", json={"code": code, "device_id": str(uuid.uuid4())}, timeout=10
    )
    assert first.status_code == 201
    again = requests.post(
        f"{server.url}/v1/enrol", json={"code": code, "device_id": str(uuid.uuid4())}, timeout=10
    )
    refused(again, 403, "enrolment_code_used")
    unknown = requests.post(
        f"{server.url}/v1/enrol", json={"code": "ZZZZZ-ZZZZZ", "device_id": str(uuid.uuid4())}, timeout=10
    )
    refused(unknown, 403, "enrolment_code_unknown")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_request"),
        (b"[]", "invalid_request"),
        (b'{"events": []}', "invalid_request"),
    ],
)
def test_malformed_bodies_are_refused(server, central, school, device, body, code):
    refused(push(server, device.auth, body), 422, code)
    assert central.event_count(school) == 0


def test_validation_errors_name_the_field_but_never_echo_the_value(server, central, school, device):
    event = sign_in(1, occurred_at="王芳 13800009999")
    error = refused(push(server, device.auth, batch(device, [event])), 422, "invalid_request")
    assert "events.0.occurred_at" in json.dumps(error["details"])
    assert "13800009999" not in json.dumps(error)
    assert central.event_count(school) == 0


def test_the_same_seq_twice_in_a_batch_is_refused(server, central, school, device):
    refused(push(server, device.auth, batch(device, [sign_in(1), sign_in(1)])), 422, "invalid_events")
    assert central.event_count(school) == 0


def test_an_event_id_reused_for_other_content_is_a_clash(server, central, school, device):
    first = sign_in(1)
    assert push(server, device.auth, batch(device, [first])).status_code == 200
    forged = dict(first, payload=sign_in(1)["payload"])
    refused(push(server, device.auth, batch(device, [forged])), 409, "event_clash")
    assert central.event_count(school) == 1


def test_too_many_events_in_one_batch(server, central, school, device):
    events = [sign_in(n) for n in range(1, MAX_EVENTS_PER_BATCH + 2)]
    error = refused(push(server, device.auth, batch(device, events)), 422, "invalid_request")
    assert "events" in json.dumps(error["details"])
    assert central.event_count(school) == 0


def test_an_oversized_body_is_refused_before_it_is_read(server, central, school, device):
    body = json.dumps(batch(device, [sign_in(1)] * 2)).encode() + b" " * (MAX_BODY_BYTES + 1)
    refused(push(server, device.auth, body), 413, "body_too_large")
    assert central.event_count(school) == 0


def test_a_gzip_bomb_is_refused(server, central, school, device):
    bomb = gzip.compress(b"{" + b" " * (MAX_BODY_BYTES * 4) + b"}")
    assert len(bomb) < 100_000
    answer = push(server, device.auth | {"Content-Encoding": "gzip"}, bomb)
    refused(answer, 413, "body_too_large")
    assert central.event_count(school) == 0


@pytest.mark.parametrize(
    ("encoding", "body", "status", "code"),
    [
        ("gzip", b"this is not gzip", 400, "bad_gzip"),
        ("gzip", gzip.compress(b'{"a": 1}', mtime=0)[:-6], 400, "bad_gzip"),
        ("br", b"{}", 415, "unsupported_encoding"),
    ],
    ids=["not-gzip", "cut-short", "brotli"],
)
def test_bad_compression(server, central, school, device, encoding, body, status, code):
    refused(push(server, device.auth | {"Content-Encoding": encoding}, body), status, code)
    assert central.event_count(school) == 0


def test_a_compressed_batch_is_accepted(server, central, school, device):
    body = gzip.compress(json.dumps(batch(device, [sign_in(n) for n in range(1, 51)])).encode())
    answer = push(server, device.auth | {"Content-Encoding": "gzip"}, body)
    assert answer.status_code == 200, answer.text
    assert central.event_count(school) == 50


def nul_in_payload() -> dict[str, object]:
    event = sign_in(1)
    event["payload"]["card_uid"] = "04\x00A2"
    return event


@pytest.mark.parametrize(
    "events_and_fields",
    [
        pytest.param(([], {"boot_id": "boot\x00"}), id="batch-boot-id"),
        pytest.param(([sign_in(1, boot_id="x\x00")], {}), id="event-boot-id"),
        pytest.param(([nul_in_payload()], {}), id="payload"),
    ],
)
def test_the_nul_character_is_refused_on_every_database(server, central, school, device, events_and_fields):
    """Found by the fuzzer: PostgreSQL cannot store U+0000, so it used to be a 500 there only."""
    events, fields = events_and_fields
    refused(push(server, device.auth, batch(device, events, **fields)), 422, "invalid_request")
    assert central.event_count(school) == 0


def test_a_code_cannot_take_over_an_enrolled_kiosk_until_it_is_revoked(server, central, school, device):
    def enrol_as_device(code: str) -> requests.Response:
        body = {"code": code, "device_id": str(device.id)}
        return requests.post(f"{server.url}/v1/enrol", json=body, timeout=10)

    code = central.code(school)
    refused(enrol_as_device(code), 409, "device_already_enrolled")
    answer = push(server, device.auth, batch(device, [sign_in(1)]))
    assert answer.status_code == 200, answer.text  # the real kiosk's token still works

    with central.edit() as session:
        provisioning.revoke_device(session, device.id)
    again = enrol_as_device(code)  # the refused attempt did not use the code up
    assert again.status_code == 201, again.text
    assert central.event_count(school) == 1


def test_a_return_naming_another_copy_than_its_loan_does_not_jam_the_kiosks_uploads(
    server, central, school, device
):
    """A buggy kiosk's return that names the wrong copy: stored and answered, never a 500 on every retry."""

    def loan_event(seq: int, type_: str, loan_id: str, copy_id: str, **payload: Any) -> dict[str, Any]:
        return sign_in(seq, type=type_, payload={"loan_id": loan_id, "copy_id": copy_id} | payload)

    loan_id = str(uuid.uuid4())
    borrowed = loan_event(
        1,
        "loan.borrowed",
        loan_id,
        str(uuid.uuid4()),
        child_id=str(uuid.uuid4()),
        due_at="2026-12-07T08:00:00Z",
    )
    first = push(server, device.auth, batch(device, [borrowed]))
    assert first.status_code == 200, first.text
    returned = loan_event(
        2, "loan.returned", loan_id, str(uuid.uuid4()), condition="ok", compensation_fen=None
    )
    second = push(server, device.auth, batch(device, [returned]))
    assert second.status_code == 200, second.text
    assert central.event_count(school) == 2


def test_a_pending_count_larger_than_the_servers_column_is_refused_not_a_500(server, central, school, device):
    """Found by the fuzzer: the wire allowed 2**62 pending events, the devices column holds 2**31 - 1."""
    answer = push(server, device.auth, batch(device, [sign_in(1)], pending_after=2**40))
    refused(answer, 422, "invalid_request")
    assert push(server, device.auth, batch(device, [sign_in(1)], pending_after=2**31 - 1)).status_code == 200
