"""Taking in a batch of a kiosk's events: validate all, store each exactly once, then apply the facts.

Whole batches are accepted or refused, never split. A bad event (unknown type, payload that does not
match db.events, seq or id used twice) is a kiosk bug or a version mismatch, not something a retry
fixes; storing the good neighbours would leave a hole in the device's sequence that the client cannot
describe by "marked sent up to here". So the batch gets a 4xx naming every bad event, nothing is
stored, the kiosk keeps all of them pending, and the administrator sees the reason on the badge until
the server is upgraded. Valid batches are idempotent: events already stored (same UUID, same content)
count as duplicates and are acknowledged again.

One push is one transaction holding the school's row lock (SQLite: the database lock), so two kiosks
of one school are taken in one after the other and the conflict rules always see each other's facts.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.events import EVENT_TYPES, parse_event
from sync.server import projections, timefix
from sync.server.errors import ApiError
from sync.server.facts import apply_facts
from sync.server.models import Device, ReceivedEvent, School
from sync.wire import PushAck, PushBatch, WireEvent, event_fields

_MAX_REPORTED = 20


def validate_batch(batch: PushBatch) -> None:
    problems: list[dict[str, Any]] = []
    seen_ids: set[uuid.UUID] = set()
    seen_seqs: set[int] = set()
    for index, event in enumerate(batch.events):
        where = {"index": index, "seq": event.seq, "id": str(event.id)}
        if event.id in seen_ids or event.seq in seen_seqs:
            problems.append(where | {"problem": "the same id or seq appears twice in this batch"})
        seen_ids.add(event.id)
        seen_seqs.add(event.seq)
        if event.type not in EVENT_TYPES:
            problems.append(where | {"problem": f"unknown event type {event.type[:40]!r}"})
            continue
        try:
            parse_event(event.type, event.payload)
        except ValidationError as exc:
            fields = sorted({".".join(map(str, err["loc"])) or "payload" for err in exc.errors()})
            problems.append(where | {"problem": "payload does not match the event type", "fields": fields})
    if problems:
        unknown = any("unknown event type" in p["problem"] for p in problems)
        raise ApiError(
            422,
            "unknown_event_type" if unknown else "invalid_events",
            f"{len(problems)} event(s) in this batch were refused; nothing from the batch was stored.",
            problems[:_MAX_REPORTED],
        )


def ingest(session: Session, device_id: uuid.UUID, batch: PushBatch, received_at: datetime) -> PushAck:
    device = session.get(Device, device_id)
    if device is None or device.revoked_at is not None:
        raise ApiError(401, "token_revoked", "This kiosk's token has been revoked; enrol it again.")
    school = session.get(School, device.school_id, with_for_update=True)  # one push per school at a time
    assert school is not None

    new_events = _new_events(session, device, batch)
    timefix.record_anchor(session, device.id, batch, received_at)
    session.flush()
    anchors = timefix.anchors_for(session, device.id, {e.boot_id for e in new_events})
    rows = []
    for event in sorted(new_events, key=lambda e: e.seq):
        corrected_at, basis = timefix.corrected_time(event, anchors, received_at)
        rows.append(
            ReceivedEvent(
                **event_fields(event),
                school_id=device.school_id,
                device_id=device.id,
                corrected_at=corrected_at,
                time_basis=basis,
                received_at=received_at,
                batch_id=batch.batch_id,
            )
        )
    session.add_all(rows)
    session.flush()
    conflicts = apply_facts(session, device, rows)
    projections.project(session, school, rows)

    offset = timefix.clock_offset_ms(batch, received_at)
    device.last_seen_at = received_at
    device.kiosk_version = batch.kiosk_version or device.kiosk_version
    if batch.pending_after is not None:
        device.pending_events = batch.pending_after
    device.clock_offset_ms = offset
    device.clock_measured_at = received_at
    return PushAck(
        batch_id=batch.batch_id,
        acknowledged=len(batch.events),
        new=len(rows),
        duplicates=len(batch.events) - len(rows),
        conflicts_flagged=conflicts,
        server_time=received_at,
        clock_offset_ms=offset,
    )


def _new_events(session: Session, device: Device, batch: PushBatch) -> list[WireEvent]:
    """The events not stored yet. A stored event must be the very same fact: an id reused for other
    content, or a seq of this device reused under another id, is refused (409) — typically a kiosk
    whose database was restored from an old copy, which must be enrolled as a new device."""
    if not batch.events:
        return []
    by_id = {e.id: e for e in batch.events}
    by_seq = {e.seq: e for e in batch.events}
    stored = session.execute(
        select(
            ReceivedEvent.id,
            ReceivedEvent.device_id,
            ReceivedEvent.seq,
            ReceivedEvent.type,
            ReceivedEvent.payload,
        ).where(
            or_(
                ReceivedEvent.id.in_(by_id),
                and_(ReceivedEvent.device_id == device.id, ReceivedEvent.seq.in_(by_seq)),
            )
        )
    ).all()
    known: set[uuid.UUID] = set()
    for row in stored:
        mine = by_id.get(row.id)
        if mine is None or (row.device_id, row.seq, row.type, row.payload) != (
            device.id,
            mine.seq,
            mine.type,
            mine.payload,
        ):
            raise ApiError(
                409,
                "event_clash",
                "An event id or sequence number in this batch is already stored with different content. "
                "If this kiosk's database was restored from a backup, enrol it as a new kiosk.",
                [{"seq": row.seq if row.device_id == device.id else None, "id": str(row.id)}],
            )
        known.add(row.id)
    return [e for e in batch.events if e.id not in known]
