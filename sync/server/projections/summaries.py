"""The summaries (sync.server.models.summaries) kept in step with the records, at intake.

After a batch's records are written, what it touched is recomputed from the record tables: the days
on which its visits and loans began, the room openings it started or closed, and each of its children's
months of visits. Recomputing from the records, rather than adding to counters, keeps a summary right
whatever the batch held (a resend, an end whose start came long before, a replay) at the cost of a few
small indexed reads per push. A rebuild of the records rebuilds the summaries with them; a newer
SUMMARY_VERSION rebuilds them alone from the records when the server starts.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, func, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.core.day_pieces import split_by_day
from sync.server.core.school_settings import settings_of
from sync.server.models import LoanRecord, ProjectionState, RoomSessionRecord, School, VisitRecord
from sync.server.models.summaries import SUMMARY_MODELS, ChildVisitMonth, DailyRoomFigures, RoomSessionPiece

SUMMARY_VERSION = 1
_VISITS, _LOANS, _SESSIONS = VisitRecord.__table__, LoanRecord.__table__, RoomSessionRecord.__table__
_DAILY, _PIECES, _MONTHS = DailyRoomFigures.__table__, RoomSessionPiece.__table__, ChildVisitMonth.__table__
_STATE_ID = 2  # projection_state row 1 is the records', row 2 the summaries'
_CHUNK = 500


@dataclass
class Touched:
    """What one batch changed that a summary depends on."""

    days: set[date] = field(default_factory=set)
    sessions: set[uuid.UUID] = field(default_factory=set)
    visit_days: dict[tuple[date, uuid.UUID], int] = field(default_factory=lambda: defaultdict(int))  # bits

    def __bool__(self) -> bool:
        return bool(self.days or self.sessions or self.visit_days)

    def visit(self, child_id: uuid.UUID, day: date) -> None:
        self.visit_days[(day.replace(day=1), child_id)] |= 1 << (day.day - 1)


def touched_by(starts: dict[type, list[dict]], ends: dict[type, list[dict]]) -> Touched:
    touched = Touched()
    for row in starts.get(VisitRecord, []):
        touched.days.add(row["day"])
        touched.visit(row["child_id"], row["day"])
    for row in starts.get(LoanRecord, []):
        touched.days.add(row["day"])
    for row in (*starts.get(RoomSessionRecord, []), *ends.get(RoomSessionRecord, [])):
        touched.sessions.add(row["session_id"])
    return touched


def refresh(session: Session, school_id: uuid.UUID, zone: ZoneInfo, touched: Touched) -> None:
    """Recompute the summaries a batch touched, inside the batch's transaction. Core statements on
    the session's connection: a push pays for a few small indexed statements, not the ORM's work."""
    connection = session.connection()
    for days in _chunks(sorted(touched.days)):
        _refresh_days(connection, school_id, days)
    for ids in _chunks(sorted(touched.sessions)):
        _refresh_pieces(connection, school_id, zone, ids)
    if touched.visit_days:
        _add_visit_days(connection, school_id, touched.visit_days)


def _refresh_days(connection: Connection, school_id: uuid.UUID, days: list[date]) -> None:
    """Visits and loans begun on these days, counted again; records are never deleted, so a day's
    row is written over, never left behind."""
    started = union_all(
        select(_VISITS.c.day, literal(1).label("visit"), literal(0).label("loan")).where(
            _VISITS.c.school_id == school_id, _VISITS.c.day.in_(days)
        ),
        select(_LOANS.c.day, literal(0), literal(1)).where(
            _LOANS.c.school_id == school_id, _LOANS.c.day.in_(days)
        ),
    ).subquery()
    counts = connection.execute(
        select(started.c.day, func.sum(started.c.visit), func.sum(started.c.loan)).group_by(started.c.day)
    ).all()
    if counts:
        statement = _insert(connection, _DAILY)
        statement = statement.on_conflict_do_update(
            index_elements=["school_id", "day"],
            set_={"visits": statement.excluded.visits, "loans": statement.excluded.loans},
        )
        connection.execute(
            statement,
            [{"school_id": school_id, "day": day, "visits": int(v), "loans": int(n)} for day, v, n in counts],
        )


def _refresh_pieces(
    connection: Connection, school_id: uuid.UUID, zone: ZoneInfo, ids: list[uuid.UUID]
) -> None:
    rows = connection.execute(
        select(_SESSIONS.c.session_id, _SESSIONS.c.opened_at, _SESSIONS.c.closed_at).where(
            _SESSIONS.c.school_id == school_id, _SESSIONS.c.session_id.in_(ids)
        )
    ).all()
    connection.execute(delete(_PIECES).where(_PIECES.c.school_id == school_id, _PIECES.c.session_id.in_(ids)))
    pieces = [piece for row in rows for piece in _pieces_of(school_id, zone, *row)]
    if pieces:
        connection.execute(insert(_PIECES), pieces)


def _pieces_of(
    school_id: uuid.UUID,
    zone: ZoneInfo,
    session_id: uuid.UUID,
    opened_at: datetime,
    closed_at: datetime | None,
) -> list[dict]:
    opened_day = opened_at.astimezone(zone).date()
    if closed_at is None:  # still open (or its end never arrived): the day counts as open, no minutes
        return [
            {
                "school_id": school_id,
                "session_id": session_id,
                "day": opened_day,
                "opened_day": opened_day,
                "minutes": 0.0,
            }
        ]
    return [
        {
            "school_id": school_id,
            "session_id": session_id,
            "day": day,
            "opened_day": opened_day,
            "minutes": minutes,
        }
        for day, minutes in split_by_day(opened_at, closed_at, zone)
    ]


def _add_visit_days(
    connection: Connection, school_id: uuid.UUID, bits: dict[tuple[date, uuid.UUID], int]
) -> None:
    """A visit's day never changes once recorded, so a month's bits only ever gain some: OR-ing the
    batch's into the stored row is exact, and a replayed visit sets a bit that is already set."""
    statement = _insert(connection, _MONTHS)
    statement = statement.on_conflict_do_update(
        index_elements=["school_id", "month", "child_id"],
        set_={"days": _MONTHS.c.days.op("|")(statement.excluded.days)},
    )
    connection.execute(
        statement,
        [
            {"school_id": school_id, "month": month, "child_id": child, "days": days}
            for (month, child), days in bits.items()
        ],
    )


def rebuild_school(session: Session, school: School, zone: ZoneInfo) -> None:
    """Every summary of one school, from its records."""
    touched = Touched()
    for model in (VisitRecord, LoanRecord):
        touched.days.update(session.scalars(select(model.day).where(model.school_id == school.id).distinct()))
    touched.sessions.update(
        session.scalars(select(RoomSessionRecord.session_id).where(RoomSessionRecord.school_id == school.id))
    )
    for child_id, day in session.execute(
        select(VisitRecord.child_id, VisitRecord.day).where(VisitRecord.school_id == school.id).distinct()
    ):
        touched.visit(child_id, day)
    for model in SUMMARY_MODELS:
        session.execute(delete(model).where(model.school_id == school.id))  # type: ignore[attr-defined]
    refresh(session, school.id, zone, touched)


def rebuild_if_outdated(session: Session) -> bool:
    """Rebuild every school's summaries from its records when the summary code is newer than what
    built them (or they were never built). Returns True if it rebuilt."""
    state = session.get(ProjectionState, _STATE_ID)
    if state is not None and state.version == SUMMARY_VERSION:
        return False
    for school in session.scalars(select(School)):
        rebuild_school(session, school, settings_of(school).zone)
    mark_current(session)
    return True


def mark_current(session: Session) -> None:
    state = session.get(ProjectionState, _STATE_ID)
    if state is None:
        session.add(ProjectionState(id=_STATE_ID, version=SUMMARY_VERSION, built_at=now_of(session)))
    else:
        state.version, state.built_at = SUMMARY_VERSION, now_of(session)


def clear(session: Session) -> None:
    for model in SUMMARY_MODELS:
        session.execute(delete(model))


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for index in range(0, len(values), size):
        yield values[index : index + size]


def _insert(connection: Connection, table: Any) -> Any:
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(table)
