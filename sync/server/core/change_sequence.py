"""Every change to a central row gets the next number of its school's change sequence.

A kiosk pulls "everything after cursor N", so a change that slipped in with a number below a cursor
already handed out would never reach it. Two things prevent that. The numbers come from one counter
row per school, bumped inside the writing transaction: on PostgreSQL the UPDATE holds that row's lock
until commit, so a second writer of the same school waits, and commit order equals number order; on
SQLite every writer holds the database lock anyway. And the stamping happens in a before-flush hook,
so no code path can change a central row without it.

A school's own rules (`School.settings`) travel to its kiosks the same way: a change to them takes
the next number too, kept in `School.settings_seq`, and a pull after an older cursor carries them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session, sessionmaker

from sync.server.core.clock import now_of
from sync.server.models import CentralRow, School


def install(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    event.listen(sessions, "before_flush", _stamp)
    return sessions


def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    changed: dict[uuid.UUID, list[CentralRow]] = defaultdict(list)
    for row in session.new:
        if isinstance(row, CentralRow):
            changed[row.school_id].append(row)
    rules_changed: dict[uuid.UUID, School] = {}
    for row in session.dirty:
        if isinstance(row, CentralRow) and session.is_modified(row):
            changed[row.school_id].append(row)
        elif isinstance(row, School) and inspect(row).attrs.settings.history.has_changes():
            rules_changed[row.id] = row
    if not changed and not rules_changed:
        return
    now = now_of(session)
    connection = session.connection()
    for school_id in changed.keys() | rules_changed.keys():
        rows = changed.get(school_id, [])
        school = rules_changed.get(school_id)
        count = len(rows) + (school is not None)
        last = connection.execute(
            update(School.__table__)
            .where(School.__table__.c.id == school_id)
            .values(change_seq=School.__table__.c.change_seq + count)
            .returning(School.__table__.c.change_seq)
        ).scalar_one()
        for offset, row in enumerate(rows, start=last - count + 1):
            row.change_seq = offset
            row.changed_at = now
        if school is not None:
            school.settings_seq = last
