"""Reading the outbox for a push, and marking what the server acknowledged, with no ORM objects.

A semester's backlog is a hundred thousand rows. Loading each as an ORM object and then as a pydantic
`WireEvent` cost more than the server's work on it, so a batch is read with one Core query and written
out as the events' JSON directly. Each payload is JSON in the outbox already (the unit of work wrote it
through SQLAlchemy's JSON type), so its text goes out as stored, not parsed and dumped again. The
envelope's clock fields are added when the batch is sent (see `batch_body`). Marking sent is one UPDATE
over the batch's seq range: the batch is exactly the pending events of that range (new events always
get higher seqs), so nothing else is in it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, String, func, select, type_coerce, update
from sqlalchemy.orm import Session

from db.clock import Clock
from db.models import OutboxEvent

_OUTBOX = OutboxEvent.__table__
_COLUMNS = [
    _OUTBOX.c.id,
    _OUTBOX.c.seq,
    _OUTBOX.c.type,
    type_coerce(_OUTBOX.c.payload, String),  # the stored JSON text, as it is
    _OUTBOX.c.occurred_at,
    _OUTBOX.c.boot_id,
    _OUTBOX.c.monotonic_ns,
]


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """Pending events, oldest first, already serialised as the JSON array of a push's `events`."""

    events_json: bytes
    count: int
    first_seq: int = 0
    last_seq: int = 0
    waiting_after: int = 0  # pending events after this batch when it was read (the office's kiosk page)


def read_pending(engine: Engine, limit: int, after_seq: int = 0) -> PendingBatch:
    """The first `limit` pending events with a seq above `after_seq`."""
    query = (
        select(*_COLUMNS)
        .where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.seq > after_seq)
        .order_by(_OUTBOX.c.seq)
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        if not rows:
            return PendingBatch(b"[]", 0)
        waiting = connection.scalar(
            select(func.count()).where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.seq > rows[-1].seq)
        )
    events = ",".join(_event_json(*row) for row in rows)
    return PendingBatch(f"[{events}]".encode(), len(rows), rows[0].seq, rows[-1].seq, waiting or 0)


def _event_json(
    event_id: uuid.UUID,
    seq: int,
    type_: str,
    payload: str,
    occurred_at: datetime,
    boot_id: str,
    monotonic_ns: int,
) -> str:
    """One sync.wire.WireEvent as JSON; the payload is spliced in as the JSON text it is stored as."""
    return (
        f'{{"id":"{event_id}","seq":{seq},"type":{json.dumps(type_)},"payload":{payload},'
        f'"occurred_at":"{occurred_at.isoformat()}","boot_id":{json.dumps(boot_id)},"monotonic_ns":{monotonic_ns}}}'
    )


def batch_body(
    pending: PendingBatch,
    batch_id: uuid.UUID,
    device_id: uuid.UUID,
    sent_at: datetime,
    clock: Clock,
    kiosk_version: str | None = None,
) -> bytes:
    """The push's body (sync.wire.PushBatch), stamped with the kiosk's clocks as it is sent: the server
    turns monotonic time into real time from these, so they must not be read while the batch waits."""
    envelope = {
        "batch_id": str(batch_id),
        "device_id": str(device_id),
        "sent_at": sent_at.isoformat(),
        "boot_id": clock.boot_id,
        "monotonic_ns": clock.monotonic_ns(),
        "kiosk_version": kiosk_version,
        "pending_after": pending.waiting_after,
    }
    return b'{"events":' + pending.events_json + b"," + _json(envelope)[1:]


def mark_sent(session: Session, pending: PendingBatch, at: datetime) -> None:
    if pending.count:
        session.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.seq.between(pending.first_seq, pending.last_seq))
            .values(sent_at=at)
        )


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
