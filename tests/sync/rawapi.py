"""Talking to the server by hand, below the sync client: for requests a real kiosk would never send."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from tests.support.processes import ServerProcess
    from tests.sync.central import Central, SchoolRef


@dataclass(frozen=True)
class RawDevice:
    id: uuid.UUID
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def enrol_raw(server: ServerProcess, central: Central, school: SchoolRef) -> RawDevice:
    device_id = uuid.uuid4()
    answer = requests.post(
        f"{server.url}/v1/enrol", json={"code": central.code(school), "device_id": str(device_id)}, timeout=10
    )
    assert answer.status_code == 201, answer.text
    return RawDevice(device_id, answer.json()["device_token"])


def sign_in(seq: int, **overrides: Any) -> dict[str, Any]:
    """A well-formed event whose references need not exist (the server would flag, not refuse, them)."""
    event = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": "visit.signed_in",
        "payload": {
            "visit_id": str(uuid.uuid4()),
            "child_id": str(uuid.uuid4()),
            "card_uid": "04A2B3C4",
        },
        "occurred_at": datetime.now(UTC).isoformat(),
        "boot_id": "boot-1",
        "monotonic_ns": 1_000_000 * seq,
    }
    return event | overrides


def batch(device: RawDevice, events: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    body = {
        "batch_id": str(uuid.uuid4()),
        "device_id": str(device.id),
        "sent_at": datetime.now(UTC).isoformat(),
        "boot_id": "boot-1",
        "monotonic_ns": 10**12,
        "events": events,
    }
    return body | overrides


def push(server: ServerProcess, headers: dict[str, str], body: bytes | dict[str, Any]) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | headers
    return requests.post(f"{server.url}/v1/sync/events", data=data, headers=headers, timeout=30)


def refused(answer: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 10
    return error
