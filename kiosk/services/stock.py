"""The administrator's side of 损坏 / 丢失: a damaged copy is repaired and goes back on the shelf, a lost
one turns up, a worn-out one is withdrawn. Each change is an event, so the central asset register
(资产登记造册) stays 帐物相符 with the shelf.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.enums import CopyStatus
from db.events import CopyStatusChanged
from db.models import Copy, Loan
from kiosk.services.errors import AlreadyOnLoan, NotInCatalogue
from kiosk.services.lookups import require_staff
from kiosk.services.uow import UnitOfWork


def set_copy_status(uow: UnitOfWork, staff_id: uuid.UUID, barcode: str, status: CopyStatus) -> CopyStatus:
    """Returns the previous status. A copy out on loan must come back (还书) before its status changes."""
    code = barcode.strip()
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        copy = session.scalar(select(Copy).where(Copy.barcode == code))
        if copy is None:
            raise NotInCatalogue(barcode=code)
        if session.scalar(select(Loan.id).where(Loan.copy_id == copy.id, Loan.returned_at.is_(None))):
            raise AlreadyOnLoan(title=copy.item.title)
        previous = copy.status
        if previous is status:
            return previous
        copy.status = status
        uow.record(CopyStatusChanged(copy_id=copy.id, status=status, changed_by=staff_id))
        uow.commit()
        return previous
