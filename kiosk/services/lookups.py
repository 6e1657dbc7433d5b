"""Fetch-or-refuse helpers shared by the services, so every service refuses the same way, and the
questions several services ask of the shelf ("what is out?") written once."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.models import Child, Contact, Loan, Staff
from kiosk.services.errors import CalleeNotAllowed, ChildInactive, UnknownChild, UnknownStaff


def require_child(session: Session, child_id: uuid.UUID) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise UnknownChild()
    if not child.active:
        raise ChildInactive()
    return child


def require_staff(session: Session, staff_id: uuid.UUID) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise UnknownStaff()
    return staff


def require_contact(
    session: Session, child_id: uuid.UUID, contact_id: uuid.UUID, *, to_call: bool
) -> Contact:
    """One of this child's own people; when the child is to call them, one the school allows."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.child_id != child_id or (to_call and not contact.allowed_to_call):
        raise CalleeNotAllowed()
    return contact


def copies_on_loan() -> Select[tuple[uuid.UUID]]:
    """The copies out right now (a subquery to filter with, or to read)."""
    return select(Loan.copy_id).where(Loan.is_open)


def is_on_loan(session: Session, copy_id: uuid.UUID) -> bool:
    return session.scalar(select(Loan.id).where(Loan.copy_id == copy_id, Loan.is_open)) is not None
