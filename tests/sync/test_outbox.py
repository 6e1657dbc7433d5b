"""The client reads its outbox without ORM objects and writes the events' JSON itself: what it sends must
be exactly the stored events, as the wire schema reads them, and marking sent must cover the batch only."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.enums import ReturnCondition
from db.models import OutboxEvent
from kiosk.services import loans, stocktake
from sync.client.outbox import batch_body, mark_sent, read_pending
from sync.wire import PushBatch, WireEvent, event_fields
from tests.conftest import Room


def a_morning(room: Room) -> None:
    """Events of several shapes: nested lists, nulls, numbers, times in the payload."""
    room.tap(0)
    barcode = room.barcodes("book", 1)[0]
    loans.borrow_copy(room.uow, room.child(0), barcode)
    loans.return_copy(room.uow, barcode, ReturnCondition.DAMAGED, child_id=room.child(0))
    take = stocktake.start_stocktake(room.uow, room.staff())
    stocktake.record_scan(room.uow, take, "未知条码-ü")
    stocktake.finish_stocktake(room.uow, take, room.staff())
    room.tap(1)


def test_what_the_client_sends_is_exactly_the_stored_events(room: Room) -> None:
    a_morning(room)
    stored = [WireEvent(**event_fields(row)) for row in room.events()]

    first = read_pending(room.uow.engine, limit=3)
    rest = read_pending(room.uow.engine, limit=100, after_seq=first.last_seq)
    sent_at = room.clock.now()
    bodies = [batch_body(p, uuid.uuid4(), uuid.uuid4(), sent_at, room.clock) for p in (first, rest)]

    batches = [PushBatch.model_validate_json(body) for body in bodies]
    assert [e for b in batches for e in b.events] == stored
    assert (first.count, first.first_seq, first.last_seq) == (3, stored[0].seq, stored[2].seq)
    assert batches[0].monotonic_ns == room.clock.monotonic_ns() and batches[0].sent_at == sent_at


def test_marking_sent_covers_the_batch_and_nothing_recorded_after_it(room: Room) -> None:
    a_morning(room)
    batch = read_pending(room.uow.engine, limit=4)
    room.tap(2)  # recorded while the batch was on its way

    with room.uow:
        mark_sent(room.uow.session, batch, room.clock.now())
        room.uow.commit()

    with room.uow.read() as session:
        pending = list(session.scalars(select(OutboxEvent.seq).where(OutboxEvent.sent_at.is_(None))))
    assert pending and min(pending) == batch.last_seq + 1
    assert read_pending(room.uow.engine, limit=100).first_seq == batch.last_seq + 1


def test_an_empty_outbox_gives_an_empty_batch(room: Room) -> None:
    empty = read_pending(room.uow.engine, limit=10)
    assert empty.count == 0
    body = batch_body(empty, uuid.uuid4(), uuid.uuid4(), room.clock.now(), room.clock)
    assert PushBatch.model_validate_json(body).events == []
