"""家书: letters home and from home. They count as family contact (写信或通话).

Recorded from the screen: by the child herself after tapping her card (she wrote one home, or one
came from home), or by the duty teacher for a child in administrator mode. A letter from anyone on
her card counts, not only from those she may ring.
"""

from __future__ import annotations

import uuid

from db.enums import LetterDirection
from db.ids import time_ordered_id
from db.models import FamilyLetter
from kiosk.services.lookups import require_child, require_contact, require_staff
from kiosk.services.uow import UnitOfWork


def record_letter(
    uow: UnitOfWork,
    child_id: uuid.UUID,
    contact_id: uuid.UUID,
    direction: LetterDirection,
    *,
    staff_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """One letter, sent or received, to or from someone on the child's card. `staff_id`: the teacher
    who recorded it; None when the child did, on her own screen."""
    with uow:
        session = uow.session
        if staff_id is not None:
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
