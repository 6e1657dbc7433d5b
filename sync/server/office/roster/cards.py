"""Cards, given out and lost in the office: one card, one owner (a child or a staff member), the same
rules as the kiosk's 登记卡片. The number is spelled as the readers spell it (db.card_uid), so the
card the office registers is the card a kiosk's reader sees.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from db.card_uid import normalise_uid
from db.enums import CardStatus
from db.limits import CARD_UID_MAX
from sync.server.core.clock import now_of
from sync.server.models import CentralCard
from sync.server.office.fields import FieldProblem


def card_uid(raw: str) -> str:
    try:
        uid = normalise_uid(raw)
    except ValueError as exc:
        raise FieldProblem("card_invalid") from exc
    if len(uid) > CARD_UID_MAX:
        raise FieldProblem("card_invalid")
    return uid


def assign(
    session: Session,
    school_id: uuid.UUID,
    raw_uid: str,
    *,
    child_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> CentralCard:
    """A card active for someone else is refused; a lost or retired card may be given out again."""
    uid = card_uid(raw_uid)
    card = session.get(CentralCard, (school_id, uid))
    if card is not None and card.status is CardStatus.ACTIVE:
        mine = (card.child_id, card.staff_id) == (child_id, staff_id)
        raise FieldProblem("card_already_this_child" if mine else "card_in_use")
    if card is None:
        card = CentralCard(school_id=school_id, uid=uid)
        session.add(card)
    card.child_id, card.staff_id = child_id, staff_id
    card.status = CardStatus.ACTIVE
    card.registered_at = now_of(session)
    session.flush()
    return card


def mark_lost(
    session: Session,
    school_id: uuid.UUID,
    uid: str,
    *,
    child_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> CentralCard:
    card = session.get(CentralCard, (school_id, uid))
    if card is None or (card.child_id, card.staff_id) != (child_id, staff_id):
        raise FieldProblem("card_unknown")
    if card.status is not CardStatus.LOST:
        card.status = CardStatus.LOST
    return card
