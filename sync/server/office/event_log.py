"""What the server received: every event a school's kiosks pushed, searchable by kiosk, kind, day and
child, newest first, with the names the ids stand for.

This answers "did the server get it?" without a database shell. It reads the stored events
themselves, not the report records, so it shows exactly what arrived (also events the reports do not
count).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.events import EVENT_TYPES
from sync.server.core.student_numbers import student_key_of
from sync.server.models import CentralChild, ReceivedEvent
from sync.server.office import fields
from sync.server.office.conflicts import Named, ids_in, names_for

PAGE = 100
# Payload fields shown in the log, and how their values read: ids by the name they stand for, the
# room's vocabulary translated. The events' own ids (visit_id, loan_id …) add nothing for a reader.
_NAMED = ("child_id", "callee_id", "contact_id", "copy_id", "staff_id", "logged_by_staff_id", "registered_by",
          "reported_by", "changed_by", "missing_copy_ids")  # fmt: skip
_WORDS = {
    "kind": "call",
    "direction": "direction",
    "condition": "condition",
    "status": "copy_status",
    "medium": "medium",
    "settlement": "settlement",
    "party": "party",
}
_AS_IS = ("card_uid", "scanned_count", "compensation_fen", "unexpected_barcodes", "ticket", "content",
          "value_fen", "amount_fen")  # fmt: skip


@dataclass(frozen=True, slots=True)
class EventQuery:
    device_id: uuid.UUID | None = None
    type: str | None = None
    day: date | None = None
    child: str = ""  # a child's name or student number
    before_seq: int | None = None  # paging within one kiosk


def search(
    session: Session, school_id: uuid.UUID, query: EventQuery, zone: ZoneInfo
) -> tuple[list[ReceivedEvent], Named]:
    statement = select(ReceivedEvent).where(ReceivedEvent.school_id == school_id)
    if query.device_id is not None:
        statement = statement.where(ReceivedEvent.device_id == query.device_id)
        if query.before_seq is not None:
            statement = statement.where(ReceivedEvent.seq < query.before_seq)
    if query.type in EVENT_TYPES:
        statement = statement.where(ReceivedEvent.type == query.type)
    if query.day is not None:
        start = datetime.combine(query.day, time(), zone)
        statement = statement.where(
            ReceivedEvent.corrected_at >= start, ReceivedEvent.corrected_at < start + timedelta(days=1)
        )
    wanted = fields.text(query.child)
    if wanted:
        children = [
            str(i)
            for i in session.scalars(
                select(CentralChild.id).where(
                    CentralChild.school_id == school_id,
                    (CentralChild.name == wanted)
                    | (CentralChild.student_no == wanted.upper())
                    | (CentralChild.student_no_hash == student_key_of(session).digest(wanted)),
                )
            )
        ]
        statement = statement.where(ReceivedEvent.payload["child_id"].as_string().in_(children))
    order = (
        (ReceivedEvent.seq.desc(),)
        if query.device_id
        else (ReceivedEvent.received_at.desc(), ReceivedEvent.seq.desc())
    )
    events = list(session.scalars(statement.order_by(*order).limit(PAGE)))
    ids: set[str] = set()
    for event in events:
        ids |= ids_in(event.payload) | {str(event.device_id)}
    return events, names_for(session, school_id, ids)


def describe(event: ReceivedEvent, named: Named, t: Callable[..., str]) -> list[tuple[str, str]]:
    """The event's content as (label, value) pairs a person reads."""
    shown = []
    for key, value in event.payload.items():
        if value is None or value == []:
            continue
        if key in _NAMED:
            text = "、".join(named(v) for v in value) if isinstance(value, list) else named(value)
        elif key == "reason":
            family = {
                "visit.signed_out": "visit_end",
                "call.ended": "call_end",
                "queue.left": "queue_exit",
            }.get(event.type, "reason")
            text = t(f"{family}.{value}")
        elif key in _WORDS:
            text = t(f"{_WORDS[key]}.{value}")
        elif key in _AS_IS:
            text = "、".join(value) if isinstance(value, list) else str(value)
        else:
            continue
        shown.append((t(f"events.field.{key}"), text))
    return shown
