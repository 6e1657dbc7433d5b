"""The roster by class, for the administrator registering a card without typing a name.

A kiosk has no Chinese input method; picking 三年级(2)班 and then the child's name is two taps.
"""

from __future__ import annotations

from sqlalchemy import select

from db.card_uid import normalise_uid
from db.class_order import class_key
from db.enums import CardStatus
from db.models import Card, Child
from kiosk.services.signin import ChildSummary
from kiosk.services.uow import UnitOfWork


def class_names(uow: UnitOfWork) -> list[str]:
    """Classes that have at least one active child, in the order people read them (db.class_order:
    stage, grade, class number), as every office page lists them."""
    with uow.read() as session:
        rows = session.execute(
            select(Child.grade, Child.class_name).where(Child.active.is_(True)).distinct()
        ).all()
        return [name for grade, name in sorted(rows, key=lambda row: class_key(row[1], row[0]))]


def children_in_class(uow: UnitOfWork, class_name: str) -> list[ChildSummary]:
    with uow.read() as session:
        rows = session.execute(
            select(Child.id, Child.name, Child.class_name)
            .where(Child.active.is_(True), Child.class_name == class_name)
            .order_by(Child.name)
        ).all()
        return [ChildSummary(*row) for row in rows]


def child_by_card(uow: UnitOfWork, raw_uid: str) -> ChildSummary | None:
    """The child whose card was tapped on an administrator's page (an emergency, the hotline, a
    showing); None for an unknown, lost or staff card, which such a page simply ignores."""
    try:
        uid = normalise_uid(raw_uid)
    except ValueError:
        return None
    with uow.read() as session:
        row = session.execute(
            select(Child.id, Child.name, Child.class_name)
            .join(Card, Card.child_id == Child.id)
            .where(Card.uid == uid, Card.status == CardStatus.ACTIVE, Child.active.is_(True))
        ).first()
        return None if row is None else ChildSummary(*row)
