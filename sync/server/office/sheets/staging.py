"""A checked import file waiting for the administrator's confirmation, whatever it imports.

Every import of the office (the roster, the catalogue) works the same way: read the file, check each
row, keep the checked rows in a staging row, show them, and write only on 确认导入. The staging rows
share one table (`RosterImport`, named for the first import that used it); `summary["what"]` says which
import a row belongs to, so a roster preview cannot be confirmed as a catalogue and the other way
round. A stale staging row (an abandoned preview) is deleted after a day: a roster's holds names and
phone numbers.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import RosterImport

STAGING_LIFETIME = timedelta(days=1)
STATUSES = ("new", "update", "unchanged", "rejected")


@dataclass(frozen=True, slots=True)
class CheckedRow:
    line: int
    status: str  # "new" | "update" | "unchanged" | "rejected"
    problems: tuple[str, ...]
    values: dict[str, Any]  # clean values, JSON-ready (dates as ISO text, enums as values)


class ImportRefused(ValueError):
    """The whole file cannot be imported (e.g. a required column is missing): nothing was staged."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def stage(
    session: Session,
    *,
    what: str,
    school_id: uuid.UUID,
    user_id: uuid.UUID,
    filename: str,
    rows: Sequence[CheckedRow],
    summary: dict[str, Any],
) -> RosterImport:
    purge_stale(session)
    staged = RosterImport(
        id=uuid.uuid4(),
        school_id=school_id,
        user_id=user_id,
        created_at=now_of(session),
        filename=filename[-120:],
        rows=[
            {"line": r.line, "status": r.status, "problems": list(r.problems), "values": r.values}
            for r in rows
        ],
        summary={"what": what, "counts": dict(Counter(r.status for r in rows)), **summary},
    )
    session.add(staged)
    session.flush()
    return staged


def find(session: Session, school_id: uuid.UUID, import_id: uuid.UUID, what: str) -> RosterImport | None:
    """The school's staged import of that kind, or None (confirmed, cancelled, stale, another
    school's, or another kind of import)."""
    staged = session.get(RosterImport, import_id)
    if staged is None or staged.school_id != school_id or staged.summary.get("what", "roster") != what:
        return None
    return staged


def to_write(staged: RosterImport) -> list[dict[str, Any]]:
    """The staged rows a confirmation writes: new and changed ones; never a rejected one."""
    return [row for row in staged.rows if row["status"] in ("new", "update")]


def purge_stale(session: Session) -> None:
    session.execute(delete(RosterImport).where(RosterImport.created_at < now_of(session) - STAGING_LIFETIME))
