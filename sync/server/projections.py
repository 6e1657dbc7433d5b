"""From received events to the record tables the reports count (sync.server.models.reporting).

Called once per pushed batch with the events newly stored, in the device's sequence order, inside the
push's transaction: the records and the events they come from are committed together or not at all.
Set-based: the batch's starts are inserted in one statement per table (a start already recorded is
left alone, so a replay is harmless), then its ends update their rows in one statement per table. A
device's end always comes after its start in sequence; an end whose start never arrived is left out of
the records (its event is still stored).

Times: every time in a record is the server's corrected time. A time a payload carries (a sign-out
time, a call's end) was read from the kiosk's wall clock; it is shifted by the same correction as its
event. `day` and `hour` are local to the school.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from itertools import groupby
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.server.models import (
    RECORD_MODELS,
    CallRecord,
    DamageRecord,
    IncidentNoticeRecord,
    IncidentRecord,
    LetterRecord,
    LoanRecord,
    ProjectionState,
    ReceivedEvent,
    RoomSessionRecord,
    School,
    ShowingRecord,
    ShowingViewerRecord,
    StocktakeRecord,
    VisitRecord,
)
from sync.server.office.school_settings import settings_of

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


class _Batch:
    """Rows to insert and updates to apply, per record table, for one call of `project`."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.starts: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.ends: dict[type, list[dict[str, Any]]] = defaultdict(list)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def day(self, moment: datetime) -> date:
        return self.local(moment).date()


def _corrected(event: StoredEvent, kiosk_time: str | None) -> datetime | None:
    if kiosk_time is None:
        return None
    moment = datetime.fromisoformat(kiosk_time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment + (event.corrected_at - event.occurred_at)


def _base(event: StoredEvent) -> dict[str, Any]:
    return {"school_id": event.school_id, "device_id": event.device_id}


def _visit_in(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[VisitRecord].append(
        _base(e)
        | {
            "visit_id": uuid.UUID(p["visit_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "signed_in_at": at,
            "day": batch.day(at),
            "hour": batch.local(at).hour,
        }
    )


def _visit_out(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[VisitRecord].append(
        {
            "school_id": e.school_id,
            "visit_id": uuid.UUID(p["visit_id"]),
            "signed_out_at": _corrected(e, p.get("signed_out_at")),
            "end_reason": p["reason"],
        }
    )


def _call_started(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    at = _corrected(e, p.get("started_at")) or e.corrected_at
    batch.starts[CallRecord].append(
        _base(e)
        | {
            "call_id": uuid.UUID(p["call_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "callee_id": uuid.UUID(p["callee_id"]),
            "kind": p["kind"],
            "direction": p["direction"],
            "reason": p.get("reason"),
            "logged_by_staff_id": _uuid(p.get("logged_by_staff_id")),
            "started_at": at,
            "day": batch.day(at),
        }
    )


def _call_ended(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[CallRecord].append(
        {
            "school_id": e.school_id,
            "call_id": uuid.UUID(p["call_id"]),
            "ended_at": _corrected(e, p["ended_at"]),
            "end_reason": p["reason"],
        }
    )


def _letter(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[LetterRecord].append(
        _base(e)
        | {
            "letter_id": uuid.UUID(p["letter_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "contact_id": uuid.UUID(p["contact_id"]),
            "direction": p["direction"],
            "recorded_at": at,
            "day": batch.day(at),
        }
    )


def _borrowed(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[LoanRecord].append(
        _base(e)
        | {
            "loan_id": uuid.UUID(p["loan_id"]),
            "copy_id": uuid.UUID(p["copy_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "borrowed_at": at,
            "day": batch.day(at),
            "due_at": _corrected(e, p["due_at"]),
        }
    )


def _returned(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[LoanRecord].append(
        {
            "school_id": e.school_id,
            "loan_id": uuid.UUID(p["loan_id"]),
            "returned_at": e.corrected_at,
            "condition": p["condition"],
            "compensation_fen": p.get("compensation_fen"),
        }
    )


def _room_opened(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[RoomSessionRecord].append(
        _base(e)
        | {
            "session_id": uuid.UUID(p["session_id"]),
            "opened_by": uuid.UUID(p["staff_id"]),
            "opened_at": at,
            "day": batch.day(at),
        }
    )


def _room_closed(batch: _Batch, e: StoredEvent) -> None:
    batch.ends[RoomSessionRecord].append(
        {
            "school_id": e.school_id,
            "session_id": uuid.UUID(e.payload["session_id"]),
            "closed_at": e.corrected_at,
        }
    )


def _stocktake(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[StocktakeRecord].append(
        _base(e)
        | {
            "stocktake_id": uuid.UUID(p["stocktake_id"]),
            "staff_id": uuid.UUID(p["staff_id"]),
            "started_at": _corrected(e, p["started_at"]),
            "finished_at": at,
            "day": batch.day(at),
            "scanned_count": p["scanned_count"],
            "missing_copy_ids": [str(i) for i in p["missing_copy_ids"]],
            "unexpected_barcodes": list(p["unexpected_barcodes"]),
        }
    )


def _showing_opened(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    starts = _corrected(e, p["starts_at"]) or e.corrected_at
    batch.starts[ShowingRecord].append(
        _base(e)
        | {
            "showing_id": uuid.UUID(p["showing_id"]),
            "staff_id": uuid.UUID(p["staff_id"]),
            "medium": p["medium"],
            "content": p["content"],
            "starts_at": starts,
            "day": batch.day(starts),
        }
    )


def _showing_joined(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.starts[ShowingViewerRecord].append(
        _base(e)
        | {
            "showing_id": uuid.UUID(p["showing_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "joined_at": e.corrected_at,
        }
    )


def _showing_closed(batch: _Batch, e: StoredEvent) -> None:
    batch.ends[ShowingRecord].append(
        {
            "school_id": e.school_id,
            "showing_id": uuid.UUID(e.payload["showing_id"]),
            "closed_at": e.corrected_at,
        }
    )


def _damage_recorded(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    batch.starts[DamageRecord].append(
        _base(e)
        | {
            "damage_id": uuid.UUID(p["damage_id"]),
            "copy_id": uuid.UUID(p["copy_id"]),
            "child_id": uuid.UUID(p["child_id"]),
            "loan_id": _uuid(p.get("loan_id")),
            "condition": p["condition"],
            "value_fen": p.get("value_fen"),
            "amount_fen": p.get("amount_fen"),
            "staff_id": _uuid(p.get("staff_id")),
            "recorded_at": at,
            "day": batch.day(at),
        }
    )


def _damage_agreed(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[DamageRecord].append(
        {"school_id": e.school_id, "damage_id": uuid.UUID(p["damage_id"]), "amount_fen": p["amount_fen"]}
    )


def _damage_settled(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[DamageRecord].append(
        {
            "school_id": e.school_id,
            "damage_id": uuid.UUID(p["damage_id"]),
            "settlement": p["settlement"],
            "settled_at": e.corrected_at,
            "paid_fen": p["amount_fen"],
        }
    )


def _incident_opened(batch: _Batch, e: StoredEvent) -> None:
    p, at = e.payload, e.corrected_at
    incident_id = uuid.UUID(p["incident_id"])
    batch.starts[IncidentRecord].append(
        _base(e)
        | {
            "incident_id": incident_id,
            "child_id": uuid.UUID(p["child_id"]),
            "staff_id": uuid.UUID(p["staff_id"]),
            "opened_at": at,
            "day": batch.day(at),
        }
    )
    for notice in p["notices"]:
        batch.starts[IncidentNoticeRecord].append(
            _base(e)
            | {
                "incident_id": incident_id,
                "party": notice["party"],
                "due_at": _corrected(e, notice["due_at"]),
            }
        )


def _incident_notified(batch: _Batch, e: StoredEvent) -> None:
    p = e.payload
    batch.ends[IncidentNoticeRecord].append(
        {
            "school_id": e.school_id,
            "incident_id": uuid.UUID(p["incident_id"]),
            "party": p["party"],
            "notified_at": _corrected(e, p["notified_at"]),
        }
    )


_PROJECTORS: dict[str, Callable[[_Batch, StoredEvent], None]] = {
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


def project(session: Session, school: School, events: Sequence[StoredEvent]) -> None:
    """Turn one batch's newly stored events (one school, sequence order) into records."""
    if not events:
        return
    batch = _Batch(settings_of(school).zone)
    for event in events:
        projector = _PROJECTORS.get(event.type)
        if projector is not None:
            projector(batch, event)
    _fold_ends_into_starts(batch)
    for model, rows in batch.starts.items():
        # One executemany per run of rows with the same columns, on the table itself: the ORM's bulk
        # insert cost more than the database's work here (measured: 60 % of this step).
        for _, run in groupby(rows, key=_columns):
            session.execute(_insert_ignoring_existing(session, model.__table__), list(run))  # type: ignore[attr-defined]
    for model, rows in batch.ends.items():
        if rows:
            _update_existing(session, model, rows)


def _fold_ends_into_starts(batch: _Batch) -> None:
    """An end whose start is in the same batch (a visit, a call, a loan of equipment: most of them in a
    backlog) goes in with its start: one INSERT, not an INSERT and then an UPDATE of the same row. The
    starts here are newly stored events, so no stored record is skipped by the insert. Measured on a
    100,000-event backlog: the UPDATEs were half of this step's time."""
    for model, ends in batch.ends.items():
        table = model.__table__  # type: ignore[attr-defined]
        keys = [c.name for c in table.primary_key.columns if c.name != "school_id"]
        starts = {tuple(row[k] for k in keys): row for row in batch.starts.get(model, [])}
        unmatched = []
        for end in ends:  # in sequence order: of several ends of one row, the last word on a column wins
            start = starts.get(tuple(end[k] for k in keys))
            if start is None:
                unmatched.append(end)
            else:
                start.update(end)
        batch.ends[model] = unmatched
        if starts:  # rows with the same columns next to each other (an end adds some): one executemany each
            batch.starts[model].sort(key=_columns)


def _columns(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(row))


def _insert_ignoring_existing(session: Session, model: Any) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing()
    return insert(model)


def _update_existing(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """ORM bulk UPDATE by primary key, restricted to rows that exist: an end whose start is missing
    would otherwise make SQLAlchemy complain about a row count it did not expect. Several ends of one
    row in a batch (an amount agreed, then the damage settled) are merged in order first, so the last
    word on each column wins."""
    table = model.__table__  # type: ignore[attr-defined]
    keys = [c.name for c in table.primary_key.columns if c.name != "school_id"]
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        merged.setdefault(tuple(_plain(row[k]) for k in keys), {}).update(row)
    school_id = rows[0]["school_id"]
    first = keys[0]
    existing = {
        tuple(_plain(value) for value in found)
        for found in session.execute(
            select(*(table.c[k] for k in keys)).where(
                table.c.school_id == school_id, table.c[first].in_({key[0] for key in merged})
            )
        )
    }
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for key, row in merged.items():
        if key in existing:
            by_columns[frozenset(row)].append(row)
    for present in by_columns.values():
        session.execute(update(model), present)


def _plain(value: Any) -> Any:
    """A key value as a payload spells it: an enum read back from a column hashes unlike its string."""
    return value.value if isinstance(value, Enum) else value


def _uuid(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


# -- rebuilding ---------------------------------------------------------------------------------------


def rebuild_if_outdated(session: Session, chunk: int = 5000) -> bool:
    """Rebuild every school's records from its received events when the projection code is newer
    than what built them (or they were never built). Returns True if it rebuilt."""
    state = session.get(ProjectionState, 1)
    if state is not None and state.version == VERSION:
        return False
    for model in RECORD_MODELS:
        session.execute(delete(model))
    for school in session.scalars(select(School)):
        replay_school(session, school, chunk)
    if state is None:
        session.add(ProjectionState(id=1, version=VERSION, built_at=datetime.now(UTC)))
    else:
        state.version, state.built_at = VERSION, datetime.now(UTC)
    return True


def replay_school(session: Session, school: School, chunk: int = 5000) -> None:
    """Project every stored event of one school again, device by device in sequence order."""
    last: tuple[str, int] = ("", 0)
    while True:
        rows = session.scalars(
            select(ReceivedEvent)
            .where(ReceivedEvent.school_id == school.id)
            .where(_after(last))
            .order_by(ReceivedEvent.device_id, ReceivedEvent.seq)
            .limit(chunk)
        ).all()
        if not rows:
            return
        for device_rows in _by_device(rows):
            project(session, school, device_rows)
        last = (str(rows[-1].device_id), rows[-1].seq)
        session.expunge_all()


def _after(last: tuple[str, int]) -> Any:
    device, seq = last
    if not device:
        return true()
    device_id = uuid.UUID(device)
    return (ReceivedEvent.device_id > device_id) | (
        (ReceivedEvent.device_id == device_id) & (ReceivedEvent.seq > seq)
    )


def _by_device(rows: Iterable[ReceivedEvent]) -> list[list[ReceivedEvent]]:
    grouped: dict[uuid.UUID, list[ReceivedEvent]] = defaultdict(list)
    for row in rows:
        grouped[row.device_id].append(row)
    return list(grouped.values())
