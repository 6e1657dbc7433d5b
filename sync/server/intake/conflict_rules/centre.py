"""Kiosk facts that meet the centre's rows: cards used, given out or lost, and copies' status.

Taken in seq order, so a card registered early in a batch is the card a later sign-in of the same batch
finds. Rows are the ones FactBatch loaded; changes to them are flushed with the batch, stamped with the
school's change sequence (sync.server.core.change_sequence) so the other kiosks pull them.
"""

from __future__ import annotations

import uuid

from db.enums import CardStatus, CopyStatus, ReturnCondition
from db.events import CardRegistered, CardReportedLost, CopyStatusChanged, LoanReturned, VisitSignedIn
from sync.server.intake.conflict_rules.batch import FactBatch
from sync.server.intake.event_store import StoredEvent
from sync.server.models import CentralCard
from sync.server.models.facts import ConflictKind


def flag_unknown_references(batch: FactBatch) -> None:
    for event, named in zip(batch.events, batch.named, strict=True):
        missing = {name: [str(i) for i in ids if i not in batch.known_ids] for name, ids in named.items()}
        missing = {name: ids for name, ids in missing.items() if ids}
        if missing:
            batch.flag_event(
                ConflictKind.UNKNOWN_REFERENCE,
                event,
                event_type=event.type,
                missing=missing,
            )


def apply_in_order(batch: FactBatch) -> None:
    for event in batch.events:
        fact = event.fact
        if isinstance(fact, VisitSignedIn):
            _signed_in(batch, event, fact)
        elif isinstance(fact, CardRegistered):
            _card_registered(batch, event, fact)
        elif isinstance(fact, CardReportedLost):
            _card_reported_lost(batch, event, fact)
        elif isinstance(fact, CopyStatusChanged):
            _set_copy_status(batch, event, fact.copy_id, fact.status)
        elif isinstance(fact, LoanReturned) and fact.condition is not ReturnCondition.OK:
            lost = fact.condition is ReturnCondition.LOST
            _set_copy_status(batch, event, fact.copy_id, CopyStatus.LOST if lost else CopyStatus.DAMAGED)


def _known_card(batch: FactBatch, event: StoredEvent, uid: str) -> CentralCard | None:
    """The school's card the event names, or None (flagged as an unknown reference)."""
    card = batch.cards.get(uid)
    if card is None:
        batch.flag_event(
            ConflictKind.UNKNOWN_REFERENCE,
            event,
            event_type=event.type,
            missing={"card_uid": [uid]},
        )
    return card


def _signed_in(batch: FactBatch, event: StoredEvent, fact: VisitSignedIn) -> None:
    card = _known_card(batch, event, fact.card_uid)
    if card is None:
        return
    if card.changed_at < event.corrected_at and (
        card.child_id != fact.child_id or card.status is not CardStatus.ACTIVE
    ):
        batch.flag_event(
            ConflictKind.CARD_USED_AFTER_CENTRAL_CHANGE,
            event,
            card_uid=fact.card_uid,
            used_for_child_id=fact.child_id,
            used_at=event.corrected_at,
            centre_card_status=card.status.value,
            centre_child_id=card.child_id,
            centre_staff_id=card.staff_id,
            centre_changed_at=card.changed_at,
        )


def _card_registered(batch: FactBatch, event: StoredEvent, fact: CardRegistered) -> None:
    owner = (fact.child_id, fact.staff_id)
    card = batch.cards.get(fact.card_uid)
    if card is None:
        if not batch.owner_known(*owner):
            return  # flagged as an unknown reference
        card = CentralCard(
            school_id=batch.school_id,
            uid=fact.card_uid,
            child_id=fact.child_id,
            staff_id=fact.staff_id,
            status=CardStatus.ACTIVE,
            registered_at=event.corrected_at,
        )
        batch.session.add(card)
        batch.session.flush()  # stamps changed_at, which a later event of this batch may compare with
        batch.cards[fact.card_uid] = card
        return
    same_owner = (card.child_id, card.staff_id) == owner
    if card.status is CardStatus.ACTIVE and same_owner:
        return
    if card.status is CardStatus.ACTIVE:
        batch.flag_event(
            ConflictKind.CARD_REGISTRATION_CLASH,
            event,
            card_uid=fact.card_uid,
            kiosk_child_id=fact.child_id,
            kiosk_staff_id=fact.staff_id,
            centre_child_id=card.child_id,
            centre_staff_id=card.staff_id,
        )
    elif batch.superseded(event, card.changed_at, card_uid=fact.card_uid):
        return
    elif batch.owner_known(*owner):
        card.child_id, card.staff_id = owner
        card.status = CardStatus.ACTIVE
        card.registered_at = event.corrected_at


def _card_reported_lost(batch: FactBatch, event: StoredEvent, fact: CardReportedLost) -> None:
    card = _known_card(batch, event, fact.card_uid)
    if (
        card is not None
        and card.status is not CardStatus.LOST
        and not batch.superseded(event, card.changed_at, card_uid=fact.card_uid)
    ):
        card.status = CardStatus.LOST


def _set_copy_status(batch: FactBatch, event: StoredEvent, copy_id: uuid.UUID, status: CopyStatus) -> None:
    copy = batch.copies.get(copy_id)
    if copy is None or copy.status is status:
        return
    if not batch.superseded(event, copy.changed_at, copy_id=copy.id):
        copy.status = status
