"""Card registration at the kiosk: the administrator taps a new card and assigns it to a child.

The central server is the authority for cards; a registration made here travels to it as an event, and
a conflicting central change is flagged there rather than silently overwritten.
"""

from __future__ import annotations

import uuid

from db.card_uid import normalise_uid
from db.enums import CardStatus
from db.events import CardRegistered, CardReportedLost
from db.limits import CARD_UID_MAX
from db.models import Card, Staff
from kiosk.services.errors import (
    CardAlreadyRegistered,
    CardInUse,
    CardUidTooLong,
    InvalidCardUid,
    UnknownCard,
    UnknownStaff,
)
from kiosk.services.lookups import require_child, require_staff
from kiosk.services.uow import UnitOfWork


def register_card(
    uow: UnitOfWork,
    admin_id: uuid.UUID,
    raw_uid: str,
    *,
    child_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> str:
    """Give a card to a child (or a staff member). A lost or retired card may be given out again."""
    if (child_id is None) == (staff_id is None):
        raise ValueError("a card belongs to exactly one child or one staff member")
    uid = _card_uid(raw_uid)
    with uow:
        session = uow.session
        require_staff(session, admin_id)
        if child_id is not None:
            require_child(session, child_id)
        if staff_id is not None and session.get(Staff, staff_id) is None:
            raise UnknownStaff()
        card = session.get(Card, uid)
        now = uow.clock.now()
        if card is not None and card.status is CardStatus.ACTIVE:
            if (card.child_id, card.staff_id) == (child_id, staff_id):
                raise CardAlreadyRegistered()
            raise CardInUse()
        if card is None:
            card = Card(uid=uid)
            session.add(card)
        card.child_id, card.staff_id = child_id, staff_id
        card.status = CardStatus.ACTIVE
        card.registered_at = now
        uow.record(CardRegistered(card_uid=uid, child_id=child_id, staff_id=staff_id, registered_by=admin_id))
        uow.commit()
        return uid


def report_card_lost(uow: UnitOfWork, admin_id: uuid.UUID, raw_uid: str) -> None:
    """A lost card stops signing anyone in at once, on this kiosk, before the next sync."""
    uid = _card_uid(raw_uid)
    with uow:
        require_staff(uow.session, admin_id)
        card = uow.session.get(Card, uid)
        if card is None:
            raise UnknownCard()
        card.status = CardStatus.LOST
        uow.record(CardReportedLost(card_uid=uid, reported_by=admin_id))
        uow.commit()


def _card_uid(raw_uid: str) -> str:
    """The card's UID as the cards tables store it; one that could not be stored there (or on the
    school's server) is refused now, with the reason, rather than recorded."""
    try:
        uid = normalise_uid(raw_uid)
    except ValueError as exc:
        raise InvalidCardUid() from exc
    if len(uid) > CARD_UID_MAX:
        raise CardUidTooLong(limit=CARD_UID_MAX)
    return uid
