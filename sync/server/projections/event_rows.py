"""What each kind of event adds to the records: a start (a new row) or an end (columns of a row that
an earlier event started), with times corrected and days local to the school."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sync.server.models import (
    CallRecord,
    DamageRecord,
    IncidentNoticeRecord,
    IncidentRecord,
    LetterRecord,
    LoanRecord,
    RoomSessionRecord,
    ShowingRecord,
    ShowingViewerRecord,
    StocktakeRecord,
    VisitRecord,
)

# Bump when what the records hold changes: the server rebuilds them from the events at start.
# 2: showings and who watched, damage and compensation, incidents and their notices.
VERSION = 2


class StoredEvent(Protocol):
    """What a projection needs of a stored event (a ReceivedEvent row or anything shaped like it)."""

    id: uuid.UUID
    school_id: uuid.UUID
    device_id: uuid.UUID
    type: str
    payload: dict[str, Any]
    occurred_at: datetime
    corrected_at: datetime


class Batch:
    """Rows to insert and updates to apply, per record table, for one call of `project`."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.starts: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.ends: dict[type, list[dict[str, Any]]] = defaultdict(list)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def day(self, moment: datetime) -> date:
        return self.local(moment).date()

    def start(self, model: type, event: StoredEvent, **columns: Any) -> None:
        self.starts[model].append({"school_id": event.school_id, "device_id": event.device_id} | columns)

    def end(self, model: type, event: StoredEvent, key: str, **columns: Any) -> None:
        """Columns for the row whose id is the payload's `key` (with the school, its primary key)."""
        self.ends[model].append({"school_id": event.school_id, key: uuid.UUID(event.payload[key])} | columns)


def _corrected(event: StoredEvent, kiosk_time: str | None) -> datetime | None:
    if kiosk_time is None:
        return None
    moment = datetime.fromisoformat(kiosk_time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment + (event.corrected_at - event.occurred_at)


def _uuid(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _ids(payload: dict[str, Any], *keys: str) -> dict[str, uuid.UUID]:
    return {key: uuid.UUID(payload[key]) for key in keys}


def _visit_in(batch: Batch, e: StoredEvent) -> None:
    at = e.corrected_at
    ids = _ids(e.payload, "visit_id", "child_id")
    batch.start(VisitRecord, e, **ids, signed_in_at=at, day=batch.day(at), hour=batch.local(at).hour)


def _visit_out(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    out = _corrected(e, p.get("signed_out_at"))
    batch.end(VisitRecord, e, "visit_id", signed_out_at=out, end_reason=p["reason"])


def _call_started(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    at = _corrected(e, p.get("started_at")) or e.corrected_at
    batch.start(
        CallRecord,
        e,
        **_ids(p, "call_id", "child_id", "callee_id"),
        kind=p["kind"],
        direction=p["direction"],
        reason=p.get("reason"),
        logged_by_staff_id=_uuid(p.get("logged_by_staff_id")),
        started_at=at,
        day=batch.day(at),
    )


def _call_ended(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.end(CallRecord, e, "call_id", ended_at=_corrected(e, p["ended_at"]), end_reason=p["reason"])


def _letter(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    ids = _ids(p, "letter_id", "child_id", "contact_id")
    batch.start(LetterRecord, e, **ids, direction=p["direction"], recorded_at=at, day=batch.day(at))


def _borrowed(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    ids = _ids(p, "loan_id", "copy_id", "child_id")
    due = _corrected(e, p["due_at"])
    batch.start(LoanRecord, e, **ids, borrowed_at=at, day=batch.day(at), due_at=due)


def _returned(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.end(
        LoanRecord,
        e,
        "loan_id",
        returned_at=e.corrected_at,
        condition=p["condition"],
        compensation_fen=p.get("compensation_fen"),
    )


def _room_opened(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    session, opened_by = uuid.UUID(p["session_id"]), uuid.UUID(p["staff_id"])
    batch.start(
        RoomSessionRecord, e, session_id=session, opened_by=opened_by, opened_at=at, day=batch.day(at)
    )


def _room_closed(batch: Batch, e: StoredEvent) -> None:
    batch.end(RoomSessionRecord, e, "session_id", closed_at=e.corrected_at)


def _stocktake(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.start(
        StocktakeRecord,
        e,
        **_ids(p, "stocktake_id", "staff_id"),
        started_at=_corrected(e, p["started_at"]),
        finished_at=at,
        day=batch.day(at),
        scanned_count=p["scanned_count"],
        missing_copy_ids=[str(i) for i in p["missing_copy_ids"]],
        unexpected_barcodes=list(p["unexpected_barcodes"]),
    )


def _showing_opened(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    starts = _corrected(e, p["starts_at"]) or e.corrected_at
    batch.start(
        ShowingRecord,
        e,
        **_ids(p, "showing_id", "staff_id"),
        medium=p["medium"],
        content=p["content"],
        starts_at=starts,
        day=batch.day(starts),
    )


def _showing_joined(batch: Batch, e: StoredEvent) -> None:
    batch.start(ShowingViewerRecord, e, **_ids(e.payload, "showing_id", "child_id"), joined_at=e.corrected_at)


def _showing_closed(batch: Batch, e: StoredEvent) -> None:
    batch.end(ShowingRecord, e, "showing_id", closed_at=e.corrected_at)


def _damage_recorded(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.start(
        DamageRecord,
        e,
        **_ids(p, "damage_id", "copy_id", "child_id"),
        loan_id=_uuid(p.get("loan_id")),
        condition=p["condition"],
        value_fen=p.get("value_fen"),
        amount_fen=p.get("amount_fen"),
        staff_id=_uuid(p.get("staff_id")),
        recorded_at=at,
        day=batch.day(at),
    )


def _damage_agreed(batch: Batch, e: StoredEvent) -> None:
    batch.end(DamageRecord, e, "damage_id", amount_fen=e.payload["amount_fen"])


def _damage_settled(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.end(
        DamageRecord,
        e,
        "damage_id",
        settlement=p["settlement"],
        settled_at=e.corrected_at,
        paid_fen=p["amount_fen"],
    )


def _incident_opened(batch: Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    ids = _ids(p, "incident_id", "child_id", "staff_id")
    batch.start(IncidentRecord, e, **ids, opened_at=at, day=batch.day(at))
    for notice in p["notices"]:
        due = _corrected(e, notice["due_at"])
        party = notice["party"]
        batch.start(IncidentNoticeRecord, e, incident_id=ids["incident_id"], party=party, due_at=due)


def _incident_notified(batch: Batch, e: StoredEvent) -> None:
    p = e.payload
    notified = _corrected(e, p["notified_at"])
    batch.end(IncidentNoticeRecord, e, "incident_id", party=p["party"], notified_at=notified)


PROJECTORS: dict[str, Callable[[Batch, StoredEvent], None]] = {
    "visit.signed_in": _visit_in,
    "visit.signed_out": _visit_out,
    "call.started": _call_started,
    "call.ended": _call_ended,
    "letter.recorded": _letter,
    "loan.borrowed": _borrowed,
    "loan.returned": _returned,
    "room.opened": _room_opened,
    "room.closed": _room_closed,
    "stocktake.finished": _stocktake,
    "showing.opened": _showing_opened,
    "showing.joined": _showing_joined,
    "showing.closed": _showing_closed,
    "damage.recorded": _damage_recorded,
    "damage.amount_agreed": _damage_agreed,
    "damage.settled": _damage_settled,
    "incident.opened": _incident_opened,
    "incident.notified": _incident_notified,
}
