"""Conflicts found in one batch, written together at its end: one read of which are flagged already (the
same conflict found again, by a resend or a later batch, is one row), one insert of the others, and one
UPDATE for the ones later facts have cleared. The school's lock (sync.server.intake.ingest) keeps another push
from flagging the same conflict in between."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.server.core.bulk import insert_all
from sync.server.core.clock import now_of
from sync.server.models import Conflict
from sync.server.models.facts import ConflictKind, ConflictStatus


class Flags:
    def __init__(self, school_id: uuid.UUID) -> None:
        self.school_id = school_id
        self._found: dict[tuple[ConflictKind, str], dict[str, Any]] = {}
        self._cleared: dict[ConflictKind, set[str]] = {}

    def flag(self, kind: ConflictKind, key: str, event_ids: Iterable[uuid.UUID], **detail: Any) -> None:
        """The first finding of (kind, key) in a batch is the one kept. `detail`: ids and times only."""
        self._found.setdefault(
            (kind, key),
            {
                "id": uuid.uuid4(),
                "school_id": self.school_id,
                "kind": kind,
                "dedupe_key": key,
                "status": ConflictStatus.OPEN,
                "event_ids": [str(i) for i in event_ids],
                "detail": jsonable(detail),
                "closed_at": None,
            },
        )

    def clear(self, kind: ConflictKind, keys: Iterable[str]) -> None:
        """Open conflicts of these keys turned out not to be conflicts (e.g. a return that came late)."""
        self._cleared.setdefault(kind, set()).update(keys)

    def save(self, session: Session) -> int:
        """Write the batch's findings; returns how many conflicts are new."""
        table = Conflict.__table__
        for kind, keys in self._cleared.items():
            if keys:
                session.execute(
                    update(table)
                    .where(
                        table.c.school_id == self.school_id,
                        table.c.kind == kind,
                        table.c.status == ConflictStatus.OPEN,
                        table.c.dedupe_key.in_(keys),
                    )
                    .values(status=ConflictStatus.CLEARED, closed_at=now_of(session))
                )
        if not self._found:
            return 0
        flagged_before = set(
            session.execute(
                select(table.c.kind, table.c.dedupe_key).where(
                    table.c.school_id == self.school_id,
                    table.c.dedupe_key.in_({key for _, key in self._found}),
                )
            ).tuples()
        )
        detected_at = now_of(session)
        new = [
            {**row, "detected_at": detected_at}
            for found, row in self._found.items()
            if found not in flagged_before
        ]
        insert_all(session, table, new)  # one statement (COPY on PostgreSQL), thousands of rows or none
        return len(new)


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
