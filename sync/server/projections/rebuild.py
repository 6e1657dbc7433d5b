"""Rebuilding the records from the stored events, when the projection code changed what they hold."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, true
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import RECORD_MODELS, ProjectionState, ReceivedEvent, School
from sync.server.projections import summaries
from sync.server.projections.apply import project
from sync.server.projections.event_rows import VERSION


def rebuild_if_outdated(session: Session, chunk: int = 5000) -> bool:
    """Rebuild every school's records from its received events when the projection code is newer
    than what built them (or they were never built). Returns True if it rebuilt."""
    state = session.get(ProjectionState, 1)
    if state is not None and state.version == VERSION:
        return False
    for model in RECORD_MODELS:
        session.execute(delete(model))
    summaries.clear(session)  # replaying the events refreshes them with the records
    for school in session.scalars(select(School)):
        replay_school(session, school, chunk)
    if state is None:
        session.add(ProjectionState(id=1, version=VERSION, built_at=now_of(session)))
    else:
        state.version, state.built_at = VERSION, now_of(session)
    summaries.mark_current(session)
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
