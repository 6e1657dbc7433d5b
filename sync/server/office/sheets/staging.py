"""A checked import file waiting for the administrator's confirmation, whatever it imports.

Every import of the office (the roster, the catalogue) works the same way: read the file, check each
row, keep the checked rows in a staging row, show them, and write only on 确认导入. The staging rows
share one table (`RosterImport`, named for the first import that used it); `summary["what"]` says which
import a row belongs to, so a roster preview cannot be confirmed as a catalogue and the other way
round.

A preview nobody confirms or cancels holds names and phone numbers, so it does not stay: the server
sweeps staging rows older than STAGING_LIFETIME every SWEEP_EVERY (sync.server.app), so an abandoned
preview is gone within the hour. (No staging row holds an ID number: roster_reading replaces one
before anything is staged.)
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import RosterImport

STAGING_LIFETIME = timedelta(minutes=50)
SWEEP_EVERY = timedelta(minutes=5)
SWEEP_ENV = "SYNC_SWEEP_SECONDS"  # a shorter sweep for tests
STATUSES = ("new", "update", "unchanged", "rejected")


def sweep_interval() -> timedelta:
    seconds = os.environ.get(SWEEP_ENV, "")
    return timedelta(seconds=float(seconds)) if seconds else SWEEP_EVERY


@dataclass(frozen=True, slots=True)
class CheckedRow:
    line: int
    status: str  # "new" | "update" | "unchanged" | "rejected"
    problems: tuple[str, ...]
    values: dict[str, Any]  # clean values, JSON-ready (dates as ISO text, enums as values)
    sheet: int = 0  # which sheet of the file (a roster may have one per class)
    cells: dict[str, Any] | None = None  # the line's cells as read, for checking again after a mapping
    notes: tuple[str, ...] = field(default=())  # said about the line without rejecting it


class ImportRefused(ValueError):
    """The whole file cannot be imported (e.g. a required column is missing): nothing was staged."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _row_json(row: CheckedRow) -> dict[str, Any]:
    found = {"line": row.line, "status": row.status, "problems": list(row.problems), "values": row.values}
    if row.cells is not None:
        found.update(sheet=row.sheet, cells=row.cells, notes=list(row.notes))
    return found


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
    now = now_of(session)
    sweep_stale(session, now)
    staged = RosterImport(
        id=uuid.uuid4(),
        school_id=school_id,
        user_id=user_id,
        created_at=now,
        filename=filename[-120:],
        rows=[_row_json(r) for r in rows],
        summary={"what": what, "counts": dict(Counter(r.status for r in rows)), **summary},
    )
    session.add(staged)
    session.flush()
    return staged


def restage(staged: RosterImport, rows: Sequence[CheckedRow], summary: dict[str, Any]) -> None:
    """The same preview with its rows checked again (after the clerk said what a column is)."""
    staged.rows = [_row_json(r) for r in rows]
    staged.summary = {
        "what": staged.summary.get("what", "roster"),
        **summary,
        "counts": dict(Counter(r.status for r in rows)),
    }


def find(session: Session, school_id: uuid.UUID, import_id: uuid.UUID, what: str) -> RosterImport | None:
    """The school's staged import of that kind, or None (confirmed, cancelled, stale, another
    school's, or another kind of import)."""
    staged = session.get(RosterImport, import_id)
    if staged is None or staged.school_id != school_id or staged.summary.get("what", "roster") != what:
        return None
    if staged.created_at < now_of(session) - STAGING_LIFETIME:
        return None  # past its time, even if the sweep has not come yet
    return staged


def staged_rows(staged: RosterImport) -> list[dict[str, Any]]:
    return list(staged.rows)


def to_write(staged: RosterImport) -> list[dict[str, Any]]:
    """The staged rows a confirmation writes: new and changed ones; never a rejected one."""
    return [row for row in staged.rows if row["status"] in ("new", "update")]


def sweep_stale(session: Session, now: datetime) -> int:
    """Delete every staging row older than STAGING_LIFETIME; returns how many went."""
    result = session.execute(delete(RosterImport).where(RosterImport.created_at < now - STAGING_LIFETIME))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
