"""A kiosk restored from an old backup (or a re-imaged SD card) takes up its event stream again.

After a restore, the file's outbox ends where the backup did, while the server holds this device's
events up to some later sequence number: the kiosk's next events reuse numbers the server already
holds for other events, and the server refuses the batch (`event_clash`) — for ever, if nothing is
done. Nothing the server holds is lost: the events made after the backup are there.

What this does, when a push clashes: it asks the server which seqs and ids it holds from the first
unsent event on (`GET /sync/events/held`: ids only, of this device only). An unsent event the server
already holds under the same seq and id was sent before the backup was put back (its acknowledgement
was lost with the file): it is marked sent. Every other unsent event keeps its id and its place in the
order, and takes a new seq after the server's last one; the next new event follows them. The server
then stores each exactly once. Only unsent events are renumbered (kiosk migration 0007 allows that and
nothing else), so what the server acknowledged is never rewritten.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.orm import Session

from db.engine import writer
from db.models import DeviceIdentity, OutboxEvent
from sync.client.transport import ServerApi

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reconciled:
    already_held: int  # unsent here, but the server had them: now marked sent
    renumbered: int  # given seqs after the server's last
    server_last_seq: int


def reconcile(engine: Engine, api: ServerApi, now: datetime) -> Reconciled:
    with Session(writer(engine)) as session, session.begin():
        pending = session.execute(
            select(OutboxEvent.id, OutboxEvent.seq)
            .where(OutboxEvent.sent_at.is_(None))
            .order_by(OutboxEvent.seq)
        ).all()
        if not pending:
            return Reconciled(0, 0, 0)
        held, last_seq = _held_from(api, pending[0].seq - 1)
        held_ids = set(held.values())  # under its seq, or under another (renumbered before, ack lost)
        known = [event_id for event_id, _seq in pending if event_id in held_ids]
        moving = [event_id for event_id, _seq in pending if event_id not in held_ids]
        if known:
            session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(known)).values(sent_at=now))
        start = last_seq + 1
        if moving:  # in two steps, so no seq is held twice on the way (seq is unique): away, then back
            outbox = OutboxEvent.__table__
            away = update(outbox).where(outbox.c.id == bindparam("event_id")).values(seq=bindparam("new_seq"))
            session.execute(away, [{"event_id": e, "new_seq": -(start + i)} for i, e in enumerate(moving)])
            session.execute(update(outbox).where(outbox.c.seq < 0).values(seq=-outbox.c.seq))
        identity = session.get(DeviceIdentity, 1)
        assert identity is not None
        identity.next_seq = max(identity.next_seq, start + len(moving))
    log.warning(
        "this kiosk's outbox was behind the server (restored from a backup?): %d event(s) already held "
        "marked sent, %d renumbered after the server's seq %d",
        len(known),
        len(moving),
        last_seq,
    )
    return Reconciled(len(known), len(moving), last_seq)


def _held_from(api: ServerApi, after: int) -> tuple[dict[int, uuid.UUID], int]:
    held: dict[int, uuid.UUID] = {}
    cursor = after
    while True:
        page = api.held(cursor)
        held.update((event.seq, event.id) for event in page.held)
        if not page.more or not page.held:
            return held, page.last_seq
        cursor = page.held[-1].seq
