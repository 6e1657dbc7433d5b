"""Writing the school's central rows into the kiosk's database, in one transaction.

The centre is the authority for staff, children, callees, catalogue, copies and cards: a pulled row
replaces the kiosk's copy. The first pull after enrolment is a snapshot and *replaces* the whole
roster: rows the school does not have are removed, so a kiosk that ran with demo data (or another
school's roster) never mixes two rosters. That replacement is refused, and nothing changes, when the
kiosk has recorded facts (visits, calls, loans …) about rows the school does not know: those facts
must not be orphaned, and deleting them is never the kiosk's call. The administrator then loads the
right roster on the server, or starts this kiosk with a fresh database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from db.models import Base, Card, CatalogueItem, Child, Contact, Copy, Staff
from db.pin_seal import UNUSABLE, WITHHELD, PinKey, is_sealed, key_that_opens, seal_pin_hash
from sync.wire import CENTRAL_TABLES, ERASED_NAME, Changes, RowModel

MODELS: dict[str, type[Base]] = {
    "staff": Staff,
    "children": Child,
    "contacts": Contact,
    "catalogue_items": CatalogueItem,
    "copies": Copy,
    "cards": Card,
}
assert tuple(MODELS) == CENTRAL_TABLES


class RosterMismatch(Exception):
    """The school's roster does not contain rows this kiosk has recorded facts about."""

    def __init__(self, unknown: dict[str, int]) -> None:
        summary = ", ".join(f"{count} {table}" for table, count in sorted(unknown.items()))
        super().__init__(
            f"the school's roster lacks {summary} that this kiosk has records about; "
            "load the right roster on the server or start this kiosk with a fresh database"
        )
        self.unknown = unknown


def merge_pages(pages: Iterable[Changes]) -> dict[str, dict[Any, RowModel]]:
    """Rows by table and primary key; a row in a later page is a later version and wins."""
    merged: dict[str, dict[Any, RowModel]] = {table: {} for table in CENTRAL_TABLES}
    for page in pages:
        for table in CENTRAL_TABLES:
            for row in getattr(page, table):
                merged[table][_key(table, row)] = row
    return merged


def newly_erased(session: Session, rows: dict[str, dict[Any, RowModel]]) -> set[uuid.UUID]:
    """The children these rows erase (their name is the erased mark) whose stored name is not yet:
    the kiosk's backups still hold their personal data (db.backup_erasure). Read before the rows
    are written."""
    erased = {key for key, row in rows["children"].items() if getattr(row, "name", None) == ERASED_NAME}
    if not erased:
        return set()
    stored = session.execute(select(Child.id, Child.name).where(Child.id.in_(erased)))
    return {child_id for child_id, name in stored if name != ERASED_NAME}


def apply_rows(
    session: Session, rows: dict[str, dict[Any, RowModel]], *, snapshot: bool, pin_key: PinKey
) -> None:
    """Write the pulled rows; a staff member's PIN hash only once sealed with the device key (the
    server's scrypt hash is never written to the kiosk's file, see db.pin_seal)."""
    if snapshot:
        _refuse_orphaning(session, rows)
        for table in reversed(CENTRAL_TABLES):
            model = MODELS[table]
            pk = _pk_column(model.__table__)
            session.execute(delete(model).where(pk.not_in(list(rows[table]))))
    for table in CENTRAL_TABLES:
        values = [row.model_dump() for row in rows[table].values()]
        if table == "staff":
            values = _staff_with_verifiers(session, values, pin_key)
        if values:
            target: Table = MODELS[table].__table__
            statement = insert(target)
            updates = {c.name: statement.excluded[c.name] for c in target.columns if not c.primary_key}
            session.execute(
                statement.on_conflict_do_update(index_elements=[_pk_column(target)], set_=updates), values
            )


def _staff_with_verifiers(
    session: Session, values: list[dict[str, Any]], pin_key: PinKey
) -> list[dict[str, Any]]:
    """Each pulled staff row with the PIN verifier this kiosk will keep. One the server sealed for
    this kiosk is kept as sent; a plain scrypt hash (from a server older than issue 22) is sealed here
    with the device key first. A verifier this kiosk cannot open — withheld by a server that has no
    agreed key for it yet, or sealed under a key that is not this kiosk's — does not replace the seal
    the kiosk has (one it can open, from before its upgrade); a staff member new to the kiosk gets an
    unusable one until the next verifier arrives."""
    query = select(Staff.id, Staff.pin_hash).where(Staff.id.in_([v["id"] for v in values]))
    held = {staff_id: verifier for staff_id, verifier in session.execute(query)}
    kept = []
    for v in values:
        sent = v["pin_hash"]
        if is_sealed(sent) and sent != UNUSABLE:
            usable = key_that_opens(sent, pin_key) is not None
            verifier = sent if usable else held.get(v["id"], UNUSABLE)
        elif sent == WITHHELD:
            verifier = held.get(v["id"], UNUSABLE)
        else:
            verifier = seal_pin_hash(sent, pin_key)
        kept.append(v | {"pin_hash": verifier})
    return kept


def _refuse_orphaning(session: Session, rows: dict[str, dict[Any, RowModel]]) -> None:
    """Every central row that a room fact points at must survive the snapshot."""
    unknown: dict[str, set[Any]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in MODELS:
            continue
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target not in MODELS or fk.ondelete == "CASCADE":  # cascaded rows are derived, not facts
                continue
            referenced = set(session.scalars(select(fk.parent).where(fk.parent.is_not(None)).distinct()))
            missing = referenced - set(rows[target])
            if missing:
                unknown.setdefault(target, set()).update(missing)
    if unknown:
        raise RosterMismatch({table: len(ids) for table, ids in unknown.items()})


def _pk_column(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


def _key(table: str, row: RowModel) -> Any:
    return getattr(row, _pk_column(MODELS[table].__table__).name)
