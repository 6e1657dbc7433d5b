"""Fetch-or-refuse helpers shared by the services, so every service refuses the same way."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from db.models import Child, Staff
from kiosk.services.errors import ChildInactive, UnknownChild, UnknownStaff


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
