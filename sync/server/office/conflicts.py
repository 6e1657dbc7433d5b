"""Conflicts sync flagged, told with names instead of UUIDs, and resolved by hand with a note; and the
events the server set aside (a kiosk newer than the server, a payload it could not store), which the
office looks at and marks as dealt with once the cause is fixed.

A conflict's detail holds ids only (sync.server.intake.conflict_rules never writes a name into it); here
the ids are
looked up in the school's roster, catalogue and kiosks, so the page can say "《西游记》 TS000001 was
lent at 图书角 and at 阅览室 at the same time" rather than two UUIDs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import (
    CentralCatalogueItem,
    CentralChild,
    CentralContact,
    CentralCopy,
    CentralStaff,
    Conflict,
    Device,
)
from sync.server.models.facts import ConflictStatus, SetAsideEvent, SetAsideStatus
from sync.server.office import fields
from sync.server.office.fields import FieldProblem

NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class Named:
    """Names for the ids a page shows: children, callees, copies (barcode and title), staff, kiosks."""

    names: dict[str, str]

    def __call__(self, value: Any) -> str:
        return self.names.get(str(value), str(value)[:8] + "…")


def ids_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(ids_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(ids_in(v) for v in value)) if value else set()
    if isinstance(value, str):
        try:
            return {str(uuid.UUID(value))}
        except ValueError:
            return set()
    return set()


def names_for(session: Session, school_id: uuid.UUID, ids: set[str]) -> Named:
    wanted = {uuid.UUID(i) for i in ids}
    names: dict[str, str] = {}
    if not wanted:
        return Named(names)
    for child in session.scalars(
        select(CentralChild).where(CentralChild.school_id == school_id, CentralChild.id.in_(wanted))
    ):
        names[str(child.id)] = f"{child.name}（{child.class_name}）"
    for contact in session.scalars(
        select(CentralContact).where(CentralContact.school_id == school_id, CentralContact.id.in_(wanted))
    ):
        names[str(contact.id)] = contact.name
    for copy_id, barcode, title in session.execute(
        select(CentralCopy.id, CentralCopy.barcode, CentralCatalogueItem.title)
        .join(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
        .where(CentralCopy.school_id == school_id, CentralCopy.id.in_(wanted))
    ):
        names[str(copy_id)] = f"《{title}》 {barcode}"
    for staff in session.scalars(
        select(CentralStaff).where(CentralStaff.school_id == school_id, CentralStaff.id.in_(wanted))
    ):
        names[str(staff.id)] = staff.name
    for device in session.scalars(select(Device).where(Device.school_id == school_id, Device.id.in_(wanted))):
        names[str(device.id)] = device.label or str(device.id)[:8]
    return Named(names)


def conflicts_of(session: Session, school_id: uuid.UUID, *, open_only: bool) -> tuple[list[Conflict], Named]:
    query = select(Conflict).where(Conflict.school_id == school_id)
    if open_only:
        query = query.where(Conflict.status == ConflictStatus.OPEN)
    found = list(session.scalars(query.order_by(Conflict.detected_at.desc()).limit(500)))
    ids: set[str] = set()
    for conflict in found:
        ids |= ids_in(conflict.detail)
    return found, names_for(session, school_id, ids)


def resolve(
    session: Session, school_id: uuid.UUID, conflict_id: uuid.UUID, user_id: uuid.UUID, note: str
) -> Conflict:
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or conflict.school_id != school_id:
        raise FieldProblem("conflict_unknown")
    if conflict.status is not ConflictStatus.OPEN:
        raise FieldProblem("conflict_closed")
    clean = fields.free_text(note)
    if not clean:
        raise FieldProblem("note_missing")
    if len(clean) > NOTE_MAX:
        raise FieldProblem("note_too_long")
    conflict.status = ConflictStatus.RESOLVED
    conflict.closed_at = now_of(session)
    conflict.resolved_by = user_id
    conflict.resolution_note = clean
    return conflict


def set_aside_of(session: Session, school_id: uuid.UUID, *, open_only: bool) -> list[SetAsideEvent]:
    query = select(SetAsideEvent).where(SetAsideEvent.school_id == school_id)
    if open_only:
        query = query.where(SetAsideEvent.status == SetAsideStatus.OPEN)
    return list(
        session.scalars(query.order_by(SetAsideEvent.received_at.desc(), SetAsideEvent.seq).limit(500))
    )


def resolve_set_aside(session: Session, school_id: uuid.UUID, event_id: uuid.UUID) -> SetAsideEvent:
    found = session.get(SetAsideEvent, (school_id, event_id))
    if found is None:
        raise FieldProblem("set_aside_unknown")
    if found.status is SetAsideStatus.OPEN:
        found.status = SetAsideStatus.RESOLVED
        found.resolved_at = now_of(session)
    return found


def open_counts(session: Session, school_id: uuid.UUID) -> tuple[int, int]:
    """How many conflicts and how many set-aside events wait for the administrator (the overview's
    reminder)."""
    conflicts = session.scalar(
        select(func.count()).where(Conflict.school_id == school_id, Conflict.status == ConflictStatus.OPEN)
    )
    set_aside = session.scalar(
        select(func.count()).where(
            SetAsideEvent.school_id == school_id, SetAsideEvent.status == SetAsideStatus.OPEN
        )
    )
    return conflicts or 0, set_aside or 0
