"""The registers' event schemas refuse what no kiosk should send, on both sides of the wire."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from db.events import parse_event


def damage(condition: str, amount: int | None = 500) -> dict[str, object]:
    return {
        "damage_id": str(uuid.uuid4()),
        "copy_id": str(uuid.uuid4()),
        "child_id": str(uuid.uuid4()),
        "loan_id": None,
        "condition": condition,
        "value_fen": 2800,
        "amount_fen": amount,
        "staff_id": None,
    }


def test_a_damage_record_is_for_a_damaged_or_lost_thing_with_no_amount_below_zero() -> None:
    assert parse_event("damage.recorded", damage("lost")).type == "damage.recorded"
    with pytest.raises(ValidationError):
        parse_event("damage.recorded", damage("ok"))
    with pytest.raises(ValidationError):
        parse_event("damage.recorded", damage("damaged", -1))


def test_an_incident_names_whom_to_tell_and_a_showing_its_content() -> None:
    incident = {
        "incident_id": str(uuid.uuid4()),
        "child_id": str(uuid.uuid4()),
        "staff_id": str(uuid.uuid4()),
    }
    with pytest.raises(ValidationError):
        parse_event("incident.opened", incident | {"notices": []})
    due = {"party": "guardian", "due_at": datetime(2026, 11, 23, 8, tzinfo=UTC).isoformat()}
    assert parse_event("incident.opened", incident | {"notices": [due]}).type == "incident.opened"
    showing = {
        "showing_id": str(uuid.uuid4()),
        "staff_id": str(uuid.uuid4()),
        "medium": "tv",
        "starts_at": datetime(2026, 11, 23, 8, tzinfo=UTC).isoformat(),
    }
    with pytest.raises(ValidationError):
        parse_event("showing.opened", showing | {"content": "  "})
    with pytest.raises(ValidationError):
        parse_event("showing.opened", showing | {"content": "片" * 61})
