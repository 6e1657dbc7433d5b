"""书信: letters home and from home, recorded by the duty teacher. They count as family contact."""

from __future__ import annotations

import uuid

from db.enums import LetterDirection
from db.ids import time_ordered_id
from db.models import FamilyLetter
from kiosk.services.lookups import require_child, require_contact, require_staff
from kiosk.services.uow import UnitOfWork


def record_letter(
    uow: UnitOfWork,
    staff_id: uuid.UUID,
    child_id: uuid.UUID,
    contact_id: uuid.UUID,
    direction: LetterDirection,
) -> uuid.UUID:
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        require_child(session, child_id)
        require_contact(session, child_id, contact_id, to_call=False)
        letter = FamilyLetter(
            id=time_ordered_id(),
            child_id=child_id,
            contact_id=contact_id,
            direction=direction,
            recorded_at=uow.clock.now(),
            logged_by_staff_id=staff_id,
        )
        session.add(letter)
        uow.record(letter.recorded_event())
        uow.commit()
        return letter.id
