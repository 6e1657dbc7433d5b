"""What the server holds of one device's event stream, by sequence number and id (never content).

A kiosk restored from an old backup reuses sequence numbers the server already holds for other
events; it asks this to learn which of its unsent events are already here (same seq, same id) and
where the stream ends, and renumbers the rest after that end (sync.client.restored). Only the
device's own stream is answered: the token decides the device.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from sync.server.models import ReceivedEvent, SetAsideEvent
from sync.wire import HeldEvent, HeldEvents


def held_events(
    session: Session, school_id: uuid.UUID, device_id: uuid.UUID, after: int, limit: int
) -> HeldEvents:
    streams = [
        select(model.seq.label("seq"), model.id.label("id")).where(
            model.school_id == school_id, model.device_id == device_id, model.seq > after
        )
        for model in (ReceivedEvent, SetAsideEvent)
    ]
    both = union_all(*streams).subquery()
    rows = session.execute(select(both.c.seq, both.c.id).order_by(both.c.seq).limit(limit + 1)).all()
    last = max(
        session.scalar(
            select(func.coalesce(func.max(model.seq), 0)).where(
                model.school_id == school_id, model.device_id == device_id
            )
        )
        or 0
        for model in (ReceivedEvent, SetAsideEvent)
    )
    return HeldEvents(
        last_seq=last,
        held=[HeldEvent(seq=seq, id=event_id) for seq, event_id in rows[:limit]],
        more=len(rows) > limit,
    )
