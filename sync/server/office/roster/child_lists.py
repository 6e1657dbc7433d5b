"""What the office's children pages read: a school's children found by class, status or a search, and
one child's people to call and cards. Queries live here, not in the page handlers, so the pages only
draw and the lists are written once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.class_order import class_key
from db.enums import CardStatus
from sync.server.core.student_numbers import student_key_of
from sync.server.models import CentralCard, CentralChild, CentralContact


class Standing(StrEnum):
    ACTIVE = "active"
    LEFT = "left"
    ALL = "all"


def find_children(
    session: Session, school_id: uuid.UUID, *, standing: str, klass: str, wanted: str, limit: int
) -> Sequence[CentralChild]:
    """Children of the school in reading order; `wanted` is part of a name or a whole student number."""
    query = select(CentralChild).where(CentralChild.school_id == school_id)
    if standing == Standing.ACTIVE:
        query = query.where(CentralChild.active.is_(True))
    elif standing == Standing.LEFT:
        query = query.where(CentralChild.active.is_(False))
    if klass:
        query = query.where(CentralChild.class_name == klass)
    if wanted:
        query = query.where(
            (CentralChild.name.contains(wanted, autoescape=True))
            | (CentralChild.student_no == wanted.upper())
            | (CentralChild.student_no_hash == student_key_of(session).digest(wanted))
        )
    # Sorted here, not in SQL: classes read as people read them (db.class_order). A school's whole
    # roster is a few hundred rows, so the list is cut after sorting.
    return sorted(
        session.scalars(query), key=lambda c: (class_key(c.class_name, c.grade), c.student_no or "", c.name)
    )[:limit]


def active_card_counts(session: Session, school_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """How many cards each child holds that still open the kiosk."""
    rows = session.execute(
        select(CentralCard.child_id, func.count())
        .where(CentralCard.school_id == school_id, CentralCard.status == CardStatus.ACTIVE)
        .group_by(CentralCard.child_id)
    ).tuples()
    return {child_id: count for child_id, count in rows if child_id is not None}


def contacts_of(session: Session, child_id: uuid.UUID) -> Sequence[CentralContact]:
    return session.scalars(select(CentralContact).where(CentralContact.child_id == child_id)).all()


def cards_of(session: Session, child_id: uuid.UUID) -> Sequence[CentralCard]:
    return session.scalars(select(CentralCard).where(CentralCard.child_id == child_id)).all()
