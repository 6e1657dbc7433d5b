"""Storing a batch's events exactly once: facts in received_events, the rest in set_aside_events.

A batch is a run of one device's sequence numbers, so what is already stored of it is found by one range
scan of the (device, seq) index per table, and on a first send that range is empty. Already stored as
the very same event: a resend, acknowledged again; another event under one of its seqs: a clash (409,
typically a kiosk restored from an old backup, and nothing of the batch is kept). The rest is one
INSERT … ON CONFLICT DO NOTHING executed for all its rows; a row the database skipped because this
school already holds its id is missing from the range afterwards. Held as the very same event (type and
payload) under another device or seq, it is a resend too: a kiosk re-enrolled as a new device sends
again what it had sent under its old identity and lost the acknowledgement of
(sync.client.new_identity); held for another event, it is a clash.
Seqs are unique per device across both tables (an event set aside once stays set aside when it is sent
again); ids are unique per school within each table.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.events import Event
from sync.server.api.errors import ApiError
from sync.server.core.bulk import insert_all
from sync.server.intake import timefix
from sync.server.intake.screening import Admitted, ToSetAside
from sync.server.models import ReceivedEvent, School, SetAsideEvent
from sync.server.models.facts import SetAsideStatus
from sync.wire import WireEvent, event_fields

_EventTable = type[ReceivedEvent] | type[SetAsideEvent]


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
    corrected_at: datetime  # the server's best estimate of the real time (sync.server.intake.timefix)


@dataclass(frozen=True, slots=True)
class Intake:
    """One batch of one device, as the steps of its intake need it."""

    session: Session
    school: School  # locked for the push (sync.server.intake.ingest)
    device_id: uuid.UUID
    batch_id: uuid.UUID
    received_at: datetime
    anchors: dict[str, int]  # boot id -> anchor (sync.server.intake.timefix)

    @property
    def school_id(self) -> uuid.UUID:
        return self.school.id


@dataclass(frozen=True, slots=True)
class Tally:
    new: int = 0  # stored by this batch
    known: int = 0  # already stored the same way (a resend)
    known_elsewhere: int = 0  # already stored in the other table (a fact set aside before, or vice versa)


def store_facts(intake: Intake, admitted: Sequence[Admitted]) -> tuple[list[StoredEvent], Tally]:
    """Store the admitted events not stored yet; returns those (in seq order) and the tally."""
    if not admitted:
        return [], Tally()
    wires = [a.wire for a in admitted]
    known = _already_stored(intake, ReceivedEvent, wires)
    set_aside_before = _already_stored(intake, SetAsideEvent, wires)
    rows, stored = [], []
    for item in admitted:
        if item.wire.id in known.same or item.wire.id in set_aside_before.same:
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
    insert_all(intake.session, ReceivedEvent.__table__, rows)
    elsewhere = _all_inserted(intake, ReceivedEvent, known, [(e.id, e.seq) for e in stored], wires)
    stored = [e for e in stored if e.id not in elsewhere]
    return stored, Tally(len(stored), len(known.same) + len(elsewhere), len(set_aside_before.same))


def store_set_aside(intake: Intake, events: Sequence[ToSetAside]) -> Tally:
    """Keep the events the server cannot take as facts, with the reason, for the school office."""
    if not events:
        return Tally()
    wires = [e.wire for e in events]
    stored_before = _already_stored(intake, ReceivedEvent, wires)
    known = _already_stored(intake, SetAsideEvent, wires)
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
        if e.wire.id not in stored_before.same and e.wire.id not in known.same
    ]
    insert_all(intake.session, SetAsideEvent.__table__, rows)
    elsewhere = _all_inserted(intake, SetAsideEvent, known, [(row["id"], row["seq"]) for row in rows], wires)
    return Tally(len(rows) - len(elsewhere), len(known.same) + len(elsewhere), len(stored_before.same))


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


@dataclass(frozen=True, slots=True)
class _Found:
    same: set[uuid.UUID]  # ids of these events the table already holds as the very same events
    in_range: int  # rows of this device the table holds in the events' seq range


def _already_stored(intake: Intake, model: _EventTable, events: Sequence[WireEvent]) -> _Found:
    """What `model`'s table already holds of `events`. Another event under one of their seqs is a clash
    (409). One range scan of the (device, seq) index: a batch is a run of one device's seqs, and on a
    first send the range is empty."""
    by_seq = {e.seq: e for e in events}
    content = ReceivedEvent.payload if model is ReceivedEvent else SetAsideEvent.event
    found = intake.session.execute(
        select(model.id, model.seq, model.type, content).where(
            model.device_id == intake.device_id, model.seq.between(min(by_seq), max(by_seq))
        )
    ).all()
    same: set[uuid.UUID] = set()
    for row_id, seq, type_, stored in found:
        mine = by_seq.get(seq)
        if mine is None:
            continue  # a neighbour in the seq range, not one of these events
        payload = stored if model is ReceivedEvent else stored.get("payload")
        if (row_id, type_, payload) != (mine.id, mine.type, mine.payload):
            raise _clash(seq, row_id)
        same.add(row_id)
    return _Found(same, len(found))


def _all_inserted(
    intake: Intake,
    model: _EventTable,
    before: _Found,
    inserted: Sequence[tuple[uuid.UUID, int]],
    events: Sequence[WireEvent],
) -> set[uuid.UUID]:
    """The ids the insert skipped because this school holds them as the very same events under another
    device or seq (a resend). The insert skips a row whose id the school already holds: such an (id, seq)
    is missing from this device's seq range afterwards, which counting the range shows; one held for
    another event is a clash (409)."""
    if not inserted:
        return set()
    seqs = [e.seq for e in events]
    in_range = (model.device_id == intake.device_id) & model.seq.between(min(seqs), max(seqs))
    count = intake.session.scalar(select(func.count()).select_from(model).where(in_range))
    if count == before.in_range + len(inserted):
        return set()
    present = set(intake.session.execute(select(model.id, model.seq).where(in_range)).tuples())
    missing = {event_id: seq for event_id, seq in inserted if (event_id, seq) not in present}
    content = ReceivedEvent.payload if model is ReceivedEvent else SetAsideEvent.event
    held = {
        row_id: (type_, stored if model is ReceivedEvent else stored.get("payload"))
        for row_id, type_, stored in intake.session.execute(
            select(model.id, model.type, content).where(
                model.school_id == intake.school_id, model.id.in_(missing)
            )
        )
    }
    mine = {e.id: (e.type, e.payload) for e in events}
    for event_id, seq in missing.items():
        if held.get(event_id) != mine[event_id]:
            raise _clash(seq, event_id)
    return set(missing)


def _clash(seq: int | None, event_id: uuid.UUID) -> ApiError:
    return ApiError(
        409,
        "event_clash",
        "An event id or sequence number in this batch is already stored with different content. "
        "If this kiosk's database was restored from a backup, the kiosk reconciles by itself: it asks "
        "GET /sync/events/held and sends its new events after the last one held.",
        [{"seq": seq, "id": str(event_id)}],
    )
