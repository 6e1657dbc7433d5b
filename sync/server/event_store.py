"""Storing a batch's events exactly once: facts in received_events, the rest in set_aside_events.

Each kind is one INSERT … ON CONFLICT DO NOTHING RETURNING: the database says which events are new.
Only the ones it skipped are read back, to tell a resend (the very same event: acknowledged again) from
a clash (another event under that school's id or that device's seq, typically a kiosk restored from an
old backup: 409, and nothing of the batch is kept). Ids are unique per school, seqs per device, across
both tables: an event set aside once stays set aside when it is sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.events import Event
from sync.server import timefix
from sync.server.bulk import insert_new
from sync.server.errors import ApiError
from sync.server.models import ReceivedEvent, SetAsideEvent
from sync.server.models.facts import SetAsideStatus
from sync.server.screening import Admitted, ToSetAside
from sync.wire import WireEvent, event_fields


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event newly stored as a fact, as every per-batch step after storing sees it."""

    id: uuid.UUID
    school_id: uuid.UUID
    device_id: uuid.UUID
    seq: int
    type: str
    payload: dict[str, Any]  # as stored (JSON)
    fact: Event  # the same payload, parsed into its db.events type
    occurred_at: datetime  # the kiosk's wall clock
    corrected_at: datetime  # the server's best estimate of the real time (sync.server.timefix)


@dataclass(frozen=True, slots=True)
class Intake:
    """One batch of one device, as the steps of its intake need it."""

    session: Session
    school_id: uuid.UUID
    device_id: uuid.UUID
    batch_id: uuid.UUID
    received_at: datetime
    anchors: dict[str, int]  # boot id -> anchor (sync.server.timefix)


@dataclass(frozen=True, slots=True)
class Tally:
    new: int = 0  # stored by this batch
    known: int = 0  # already stored the same way (a resend)
    known_elsewhere: int = 0  # already stored in the other table (a fact set aside before, or vice versa)


def store_facts(intake: Intake, admitted: Sequence[Admitted]) -> tuple[list[StoredEvent], Tally]:
    """Store the admitted events not stored yet; returns those (in seq order) and the tally."""
    if not admitted:
        return [], Tally()
    set_aside_before = _resent(intake, SetAsideEvent, [a.wire for a in admitted])
    rows, stored = [], []
    for item in admitted:
        if item.wire.id in set_aside_before:
            continue
        corrected_at, basis = timefix.corrected_time(item.wire, intake.anchors, intake.received_at)
        rows.append(
            event_fields(item.wire)
            | {
                "school_id": intake.school_id,
                "device_id": intake.device_id,
                "corrected_at": corrected_at,
                "time_basis": basis,
                "received_at": intake.received_at,
                "batch_id": intake.batch_id,
            }
        )
        stored.append(_stored(intake, item, corrected_at))
    table = ReceivedEvent.__table__
    inserted = {row.id for row in insert_new(intake.session, table, rows, table.c.id)}
    skipped = [row for row in rows if row["id"] not in inserted]
    _resent(intake, ReceivedEvent, [item.wire for item in admitted if item.wire.id not in inserted])
    new = [event for event in stored if event.id in inserted]
    return new, Tally(len(new), len(skipped), len(set_aside_before))


def store_set_aside(intake: Intake, events: Sequence[ToSetAside]) -> Tally:
    """Keep the events the server cannot take as facts, with the reason, for the school office."""
    if not events:
        return Tally()
    stored_before = _resent(intake, ReceivedEvent, [e.wire for e in events])
    rows = [
        {
            "id": e.wire.id,
            "school_id": intake.school_id,
            "device_id": intake.device_id,
            "seq": e.wire.seq,
            "type": e.wire.type,
            "event": e.wire.model_dump(mode="json"),
            "reason": e.reason,
            "detail": e.detail,
            "received_at": intake.received_at,
            "batch_id": intake.batch_id,
            "status": SetAsideStatus.OPEN,
        }
        for e in events
        if e.wire.id not in stored_before
    ]
    table = SetAsideEvent.__table__
    inserted = {row.id for row in insert_new(intake.session, table, rows, table.c.id)}
    _resent(intake, SetAsideEvent, [e.wire for e in events if e.wire.id not in inserted | stored_before])
    return Tally(len(inserted), len(rows) - len(inserted), len(stored_before))


def _stored(intake: Intake, item: Admitted, corrected_at: datetime) -> StoredEvent:
    wire = item.wire
    return StoredEvent(
        id=wire.id,
        school_id=intake.school_id,
        device_id=intake.device_id,
        seq=wire.seq,
        type=wire.type,
        payload=wire.payload,
        fact=item.fact,
        occurred_at=wire.occurred_at,
        corrected_at=corrected_at,
    )


def _resent(
    intake: Intake, model: type[ReceivedEvent] | type[SetAsideEvent], events: Sequence[WireEvent]
) -> set[uuid.UUID]:
    """Of `events`, the ids `model`'s table already holds as the very same event. Another event under
    one of their ids (in this school) or seqs (of this device) is a clash: 409."""
    if not events:
        return set()
    by_id = {e.id: e for e in events}
    seqs = {e.seq for e in events}
    payload = ReceivedEvent.payload if model is ReceivedEvent else SetAsideEvent.event
    found = intake.session.execute(
        select(model.id, model.device_id, model.seq, model.type, payload).where(
            or_(
                and_(model.school_id == intake.school_id, model.id.in_(by_id)),
                and_(model.device_id == intake.device_id, model.seq.between(min(seqs), max(seqs))),
            )
        )
    ).all()
    same: set[uuid.UUID] = set()
    for row_id, device_id, seq, type_, stored in found:
        mine = by_id.get(row_id)
        if mine is None and seq not in seqs:
            continue  # a neighbour in the seq range, not one of these events
        stored_payload = stored if model is ReceivedEvent else stored.get("payload")
        if mine is None or (device_id, seq, type_, stored_payload) != (
            intake.device_id,
            mine.seq,
            mine.type,
            mine.payload,
        ):
            raise ApiError(
                409,
                "event_clash",
                "An event id or sequence number in this batch is already stored with different content. "
                "If this kiosk's database was restored from a backup, enrol it as a new kiosk.",
                [{"seq": seq if device_id == intake.device_id else None, "id": str(row_id)}],
            )
        same.add(row_id)
    return same
