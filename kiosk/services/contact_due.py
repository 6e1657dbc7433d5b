"""Who is due a family call, under the school's cadence (weekly, every two weeks or monthly).

Any contact counts, whichever way it went: a call home from the room, a video call, a parent ringing
the 亲情热线, or a letter (写信或通话). The reminder is only ever shown to the child who tapped
(不歧视: never a public list).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from db.enums import Relation
from db.models import Child, Contact, FamilyCall, FamilyLetter
from kiosk.services.room_settings import RoomSettings


@dataclass(frozen=True, slots=True)
class ContactDue:
    child_id: uuid.UUID
    name: str
    class_name: str
    last_contact_at: datetime | None  # None: no family call recorded at all
    days_since: int | None


def last_contact_at(session: Session, child_id: uuid.UUID) -> datetime | None:
    last_call = session.scalar(select(func.max(FamilyCall.started_at)).where(FamilyCall.child_id == child_id))
    last_letter = session.scalar(
        select(func.max(FamilyLetter.recorded_at)).where(FamilyLetter.child_id == child_id)
    )
    return max((t for t in (last_call, last_letter) if t is not None), default=None)


def is_contact_due(last: datetime | None, now: datetime, settings: RoomSettings) -> bool:
    return last is None or now - last >= settings.contact_period


def callees_to_remind(session: Session, child_id: uuid.UUID) -> tuple[Relation, ...]:
    """Whom the gentle reminder may name: the people this child is allowed to call, parents first.

    Never "爸爸妈妈" by default: a child with one parent, or an orphan in a relative's care, is told
    to ring exactly the people the school lists for them, and a child with nobody to call gets no
    call reminder at all (being told to call home is no kindness then).
    """
    relations = set(
        session.scalars(
            select(Contact.relation).where(Contact.child_id == child_id, Contact.allowed_to_call.is_(True))
        )
    )
    return tuple(r for r in Relation if r in relations)


def children_due_for_contact(session: Session, now: datetime, settings: RoomSettings) -> list[ContactDue]:
    """Active children whose last family contact is older than the cadence, longest-waiting first."""
    # Each side is grouped on its own (child_id, time) index first; only ~one row per child is merged.
    contacts = union_all(
        select(FamilyCall.child_id.label("child_id"), func.max(FamilyCall.started_at).label("at")).group_by(
            FamilyCall.child_id
        ),
        select(FamilyLetter.child_id, func.max(FamilyLetter.recorded_at)).group_by(FamilyLetter.child_id),
    ).subquery()
    last_contact = (
        select(contacts.c.child_id, func.max(contacts.c.at).label("last_at"))
        .group_by(contacts.c.child_id)
        .subquery()
    )
    rows = session.execute(
        select(Child.id, Child.name, Child.class_name, last_contact.c.last_at)
        .outerjoin(last_contact, last_contact.c.child_id == Child.id)
        .where(Child.active.is_(True))
        .where((last_contact.c.last_at.is_(None)) | (last_contact.c.last_at <= now - settings.contact_period))
    ).all()
    due = []
    for child_id, name, class_name, last in rows:
        due.append(ContactDue(child_id, name, class_name, last, None if last is None else (now - last).days))
    due.sort(key=lambda d: (d.last_contact_at is not None, d.last_contact_at or now, d.class_name))
    return due
