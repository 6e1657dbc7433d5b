"""Loans as the kiosks reported them, and the copy lent at two kiosks at once (copy_lent_twice).

A loan's facts are built from loan.borrowed and loan.returned in whatever order they arrive, read and
written in one query each per batch. The double-lending check compares only this batch's loans with
other kiosks' loans of the same copies that can overlap them: loans still open, or ending after the
earliest of this batch's loans began, and (when all of this batch's loans of a copy are new and
returned) beginning before the last of them ended. What it reads follows the batch, not the history.

Two loans of one kiosk never overlap: its own database refuses to lend a copy that is out.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select, union_all

from db.events import LoanBorrowed, LoanReturned
from sync.server.core.bulk import upsert
from sync.server.intake.conflict_rules.batch import FactBatch
from sync.server.models import LoanFact
from sync.server.models.facts import ConflictKind

_LOANS = LoanFact.__table__
_COLUMNS = tuple(column.name for column in _LOANS.columns)


@dataclass(slots=True)
class LoanRecord:
    """One row of loan_facts, as plain values."""

    school_id: uuid.UUID
    loan_id: uuid.UUID
    copy_id: uuid.UUID
    device_id: uuid.UUID
    borrowed_event_id: uuid.UUID | None = None
    borrowed_at: datetime | None = None  # corrected; None while only the return has arrived
    returned_at: datetime | None = None  # corrected

    def row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _COLUMNS}

    def overlaps(self, other: LoanRecord) -> bool:
        assert self.borrowed_at is not None and other.borrowed_at is not None
        return (other.returned_at is None or self.borrowed_at < other.returned_at) and (
            self.returned_at is None or other.borrowed_at < self.returned_at
        )


def apply_loans(batch: FactBatch) -> None:
    events = [e for e in batch.events if isinstance(e.fact, LoanBorrowed | LoanReturned)]
    if not events:
        return
    records = _records(batch, {e.fact.loan_id for e in events})  # type: ignore[attr-defined]
    touched: dict[uuid.UUID, LoanRecord] = {}
    borrowed_now: set[uuid.UUID] = set()
    for event in events:
        fact = event.fact
        assert isinstance(fact, LoanBorrowed | LoanReturned)
        # A loan already known keeps its copy, even if a (buggy) return names another one.
        record = records.setdefault(
            fact.loan_id, LoanRecord(batch.school_id, fact.loan_id, fact.copy_id, event.device_id)
        )
        touched[fact.loan_id] = record
        if isinstance(fact, LoanBorrowed):
            record.borrowed_event_id, record.borrowed_at = event.id, event.corrected_at
            record.device_id = event.device_id
            borrowed_now.add(fact.loan_id)
        else:
            record.returned_at = event.corrected_at
    upsert(batch.session, _LOANS, [r.row() for r in touched.values()], key=("school_id", "loan_id"))
    _check_double_lending(batch, touched, borrowed_now)


def _records(batch: FactBatch, loan_ids: set[uuid.UUID]) -> dict[uuid.UUID, LoanRecord]:
    query = select(_LOANS).where(_LOANS.c.school_id == batch.school_id, _LOANS.c.loan_id.in_(loan_ids))
    return {row.loan_id: LoanRecord(**row._asdict()) for row in batch.session.execute(query)}


def _check_double_lending(
    batch: FactBatch, touched: dict[uuid.UUID, LoanRecord], borrowed_now: set[uuid.UUID]
) -> None:
    lent = [r for r in touched.values() if r.borrowed_at is not None]
    if not lent:
        return
    others: dict[uuid.UUID, list[LoanRecord]] = defaultdict(list)
    for record in _other_kiosks_loans(batch, lent, borrowed_now):
        if record.loan_id not in touched:
            others[record.copy_id].append(record)
    apart: set[str] = set()
    for mine in lent:
        for theirs in others[mine.copy_id]:
            if theirs.device_id == mine.device_id:
                continue
            first, second = sorted((mine, theirs), key=lambda r: str(r.loan_id))
            key = f"{mine.copy_id}:{first.loan_id}:{second.loan_id}"
            if mine.overlaps(theirs):
                batch.flags.flag(
                    ConflictKind.COPY_LENT_TWICE,
                    key,
                    [r.borrowed_event_id for r in (first, second) if r.borrowed_event_id is not None],
                    copy_id=mine.copy_id,
                    loans=[
                        {
                            "loan_id": r.loan_id,
                            "device_id": r.device_id,
                            "borrowed_at": r.borrowed_at,
                            "returned_at": r.returned_at,
                        }
                        for r in (first, second)
                    ],
                )
            elif mine.loan_id not in borrowed_now:
                apart.add(key)  # its return came now: a conflict flagged while it looked open clears
    batch.flags.clear(ConflictKind.COPY_LENT_TWICE, apart)


def _other_kiosks_loans(
    batch: FactBatch, lent: list[LoanRecord], borrowed_now: set[uuid.UUID]
) -> Iterable[LoanRecord]:
    """Other kiosks' loans of the copies lent in this batch that can overlap them (see the module's
    docstring). A copy is 'bounded' when each of this batch's loans of it was borrowed and returned
    by facts the server already knows in full now and was never checked before (its borrow is new)."""
    starts: dict[uuid.UUID, datetime] = {}
    ends: dict[uuid.UUID, datetime] = {}
    unbounded: set[uuid.UUID] = set()
    for r in lent:
        assert r.borrowed_at is not None
        starts[r.copy_id] = min(starts.get(r.copy_id, r.borrowed_at), r.borrowed_at)
        if r.returned_at is None or r.loan_id not in borrowed_now:
            unbounded.add(r.copy_id)
        else:
            ends[r.copy_id] = max(ends.get(r.copy_id, r.returned_at), r.returned_at)
    bounded = set(ends) - unbounded
    queries = []
    if unbounded:
        queries += _overlapping(batch, unbounded, min(starts[c] for c in unbounded), None)
    if bounded:
        queries += _overlapping(
            batch, bounded, min(starts[c] for c in bounded), max(ends[c] for c in bounded)
        )
    return (LoanRecord(**row._asdict()) for row in batch.session.execute(union_all(*queries)))


def _overlapping(
    batch: FactBatch, copies: set[uuid.UUID], after: datetime, before: datetime | None
) -> list[Select[tuple[object, ...]]]:
    """Two index range scans on (school, copy, returned_at): loans still open, and loans ending after
    `after` (optionally begun before `before`)."""
    base = select(_LOANS).where(
        _LOANS.c.school_id == batch.school_id,
        _LOANS.c.copy_id.in_(copies),
        _LOANS.c.device_id != batch.device_id,
        _LOANS.c.borrowed_at.is_not(None),
    )
    if before is not None:
        base = base.where(_LOANS.c.borrowed_at < before)
    return [base.where(_LOANS.c.returned_at.is_(None)), base.where(_LOANS.c.returned_at > after)]
