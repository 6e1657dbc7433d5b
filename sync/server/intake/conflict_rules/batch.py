"""What the conflict rules read about one batch, loaded once for the whole batch.

Before, each sign-in looked its card up again (a card not found, every time), each return its copy,
and each loan every past loan of its copy. Here the batch's events are scanned once for what they name,
and each kind of central row is read in one query: the cost follows the batch, not the history.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ReturnCondition
from db.events import (
    EVENT_TYPES,
    CardRegistered,
    CardReportedLost,
    CopyStatusChanged,
    LoanReturned,
    VisitSignedIn,
)
from sync.server.intake.conflict_rules.flags import Flags
from sync.server.intake.event_store import StoredEvent
from sync.server.models import CentralCard, CentralChild, CentralContact, CentralCopy, CentralStaff
from sync.server.models.facts import ConflictKind

# Payload fields that name a central row, and which table it must be in.
REFERENCES: dict[str, type[CentralChild | CentralContact | CentralCopy | CentralStaff]] = {
    "child_id": CentralChild,
    "callee_id": CentralContact,
    "contact_id": CentralContact,
    "copy_id": CentralCopy,
    "missing_copy_ids": CentralCopy,
    "staff_id": CentralStaff,
    "logged_by_staff_id": CentralStaff,
    "registered_by": CentralStaff,
    "reported_by": CentralStaff,
    "changed_by": CentralStaff,
}


# Per event type, the payload fields that name a central row (looked up once, not per event).
_REFERRING_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in REFERENCES if name in model.model_fields)
    for kind, model in EVENT_TYPES.items()
}


class FactBatch:
    def __init__(self, session: Session, events: Sequence[StoredEvent]) -> None:
        self.session = session
        self.school_id = events[0].school_id
        self.device_id = events[0].device_id
        self.events = events
        self.flags = Flags(self.school_id)
        self.named = [_references(event) for event in events]  # per event, the central rows it names
        self.known_ids = self._known_ids()
        self.cards = self._cards()
        self.copies = self._copies()

    def owner_known(self, child_id: uuid.UUID | None, staff_id: uuid.UUID | None) -> bool:
        owner = child_id if child_id is not None else staff_id
        return owner is not None and owner in self.known_ids

    def flag_event(self, kind: ConflictKind, event: StoredEvent, **detail: Any) -> None:
        """A conflict about one event, known by that event's id: found again, it is the same one."""
        self.flags.flag(kind, str(event.id), [event.id], **detail)

    def superseded(self, event: StoredEvent, centre_changed_at: datetime, **subject: Any) -> bool:
        """True (and flagged) when the centre changed the row after the kiosk's fact happened."""
        if centre_changed_at <= event.corrected_at:
            return False
        self.flag_event(
            ConflictKind.KIOSK_CHANGE_SUPERSEDED,
            event,
            event_type=event.type,
            kiosk_changed_at=event.corrected_at,
            centre_changed_at=centre_changed_at,
            **subject,
        )
        return True

    def _known_ids(self) -> set[uuid.UUID]:
        wanted: dict[type, set[uuid.UUID]] = defaultdict(set)
        for named in self.named:
            for name, ids in named.items():
                wanted[REFERENCES[name]].update(ids)
        known: set[uuid.UUID] = set()
        for model, ids in wanted.items():
            known.update(
                self.session.scalars(
                    select(model.id).where(model.school_id == self.school_id, model.id.in_(ids))
                )
            )
        return known

    def _cards(self) -> dict[str, CentralCard | None]:
        """Every card the batch names, found or not (None): one query, whatever the number of taps."""
        uids = {
            event.fact.card_uid
            for event in self.events
            if isinstance(event.fact, VisitSignedIn | CardRegistered | CardReportedLost)
        }
        cards: dict[str, CentralCard | None] = dict.fromkeys(uids)
        if uids:
            query = select(CentralCard).where(
                CentralCard.school_id == self.school_id, CentralCard.uid.in_(uids)
            )
            cards.update((card.uid, card) for card in self.session.scalars(query))
        return cards

    def _copies(self) -> dict[uuid.UUID, CentralCopy]:
        """The copies whose status the batch may change: status changes, damaged or lost returns."""
        ids = {
            event.fact.copy_id
            for event in self.events
            if isinstance(event.fact, CopyStatusChanged)
            or (isinstance(event.fact, LoanReturned) and event.fact.condition is not ReturnCondition.OK)
        }
        if not ids:
            return {}
        query = select(CentralCopy).where(CentralCopy.school_id == self.school_id, CentralCopy.id.in_(ids))
        return {copy.id: copy for copy in self.session.scalars(query)}


def _references(event: StoredEvent) -> dict[str, list[uuid.UUID]]:
    """The central rows an event names, by payload field."""
    fact = event.fact
    return {name: ids for name in _REFERRING_FIELDS[event.type] if (ids := _ids(getattr(fact, name)))}


def _ids(value: Any) -> list[uuid.UUID]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, uuid.UUID)]
