"""What the centre does with the kiosks' facts once they are stored: the conflict rules.

The kiosks are the authority for what happened in their room, the centre for roster, cards and
catalogue. Where the two meet, both facts are kept and a conflict row asks the administrator to look;
nothing is dropped or overwritten silently:

- copy_lent_twice: two kiosks lent one copy for overlapping (corrected) times while offline. Found in
  whatever order borrows and returns arrive; a late return that shows the loans did not overlap clears it.
- card_used_after_central_change: a child signed in with a card the centre had already reassigned or
  marked lost/retired before that moment. The visit stays; the centre's card stays.
- card_registration_clash: a kiosk gave out a card the centre had given to someone else. The centre's
  assignment stays; the kiosk will get it back on its next pull.
- kiosk_change_superseded: a kiosk changed a card or a copy's status, but the centre changed the same
  row later than that. The centre's later change stays.
- unknown_reference: the fact names a child, callee, copy or staff member this school does not have.

A kiosk's card registration, lost report or copy status change that does not clash is applied to the
central row, so the other kiosks of the school pull it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.enums import CardStatus, CopyStatus, ReturnCondition
from sync.server.models import (
    CentralCard,
    CentralChild,
    CentralContact,
    CentralCopy,
    CentralStaff,
    Conflict,
    Device,
    LoanFact,
    ReceivedEvent,
)
from sync.server.models.facts import ConflictKind, ConflictStatus

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


@dataclass
class _Flags:
    """Conflicts found in this push; written at the end, once each (school, kind, key)."""

    school_id: uuid.UUID
    found: dict[tuple[ConflictKind, str], Conflict] = field(default_factory=dict)

    def flag(self, kind: ConflictKind, key: str, events: list[ReceivedEvent], **detail: Any) -> None:
        self.found.setdefault(
            (kind, key),
            Conflict(
                school_id=self.school_id,
                kind=kind,
                dedupe_key=key,
                status=ConflictStatus.OPEN,
                event_ids=[str(e.id) for e in events],
                detail=_jsonable(detail),
                detected_at=datetime.now(UTC),
            ),
        )

    def save(self, session: Session) -> int:
        if not self.found:
            return 0
        existing = set(
            session.execute(
                select(Conflict.kind, Conflict.dedupe_key).where(
                    Conflict.school_id == self.school_id,
                    Conflict.dedupe_key.in_({key for _, key in self.found}),
                )
            ).tuples()
        )
        new = [c for (kind, key), c in self.found.items() if (kind, key) not in existing]
        session.add_all(new)
        return len(new)


class _Context:
    def __init__(self, session: Session, device: Device, events: list[ReceivedEvent]) -> None:
        self.session = session
        self.device = device
        self.school_id = device.school_id
        self.flags = _Flags(device.school_id)
        loan_events = [e for e in events if e.type.startswith("loan.")]
        copy_ids = {uuid.UUID(e.payload["copy_id"]) for e in loan_events}
        loan_ids = {uuid.UUID(e.payload["loan_id"]) for e in loan_events}
        # By copy (the double-lending check needs the copy's other loans) and by loan id (a return that
        # names another copy than its loan must find the stored loan, not insert it a second time).
        self.loans: dict[uuid.UUID, LoanFact] = {
            f.loan_id: f
            for f in session.scalars(
                select(LoanFact).where(
                    LoanFact.school_id == self.school_id,
                    or_(LoanFact.copy_id.in_(copy_ids), LoanFact.loan_id.in_(loan_ids)),
                )
            )
        }
        self.touched_copies: set[uuid.UUID] = set()

    def card(self, uid: str) -> CentralCard | None:
        return self.session.get(CentralCard, (self.school_id, uid))

    def copy(self, copy_id: str) -> CentralCopy | None:
        copy = self.session.get(CentralCopy, uuid.UUID(copy_id))
        return copy if copy is not None and copy.school_id == self.school_id else None

    def loan(self, loan_id: str, copy_id: str) -> LoanFact:
        key = uuid.UUID(loan_id)
        fact = self.loans.get(key)
        if fact is None:
            fact = LoanFact(
                school_id=self.school_id, loan_id=key, copy_id=uuid.UUID(copy_id), device_id=self.device.id
            )
            self.session.add(fact)
            self.loans[key] = fact
        self.touched_copies.add(fact.copy_id)
        return fact


def apply_facts(session: Session, device: Device, events: list[ReceivedEvent]) -> int:
    """Apply newly stored events (in seq order) and flag conflicts; returns how many were flagged."""
    if not events:
        return 0
    context = _Context(session, device, events)
    _flag_unknown_references(context, events)
    for event in events:
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(context, event)
    _check_double_loans(context)
    return context.flags.save(session)


def _flag_unknown_references(context: _Context, events: list[ReceivedEvent]) -> None:
    wanted: dict[type, set[uuid.UUID]] = defaultdict(set)
    for event in events:
        for name, model in REFERENCES.items():
            wanted[model].update(_ids(event.payload.get(name)))
    known: set[uuid.UUID] = set()
    for model, ids in wanted.items():
        known.update(
            context.session.scalars(
                select(model.id).where(model.school_id == context.school_id, model.id.in_(ids))
            )
        )
    for event in events:
        missing = {
            name: [str(i) for i in _ids(event.payload.get(name)) if i not in known]
            for name in REFERENCES
            if name in event.payload
        }
        missing = {name: ids for name, ids in missing.items() if ids}
        if missing:
            context.flags.flag(
                ConflictKind.UNKNOWN_REFERENCE, str(event.id), [event], event_type=event.type, missing=missing
            )


def _known_card(context: _Context, event: ReceivedEvent) -> CentralCard | None:
    """The school's card the event names, or None (flagged as an unknown reference)."""
    uid = event.payload["card_uid"]
    card = context.card(uid)
    if card is None:
        context.flags.flag(
            ConflictKind.UNKNOWN_REFERENCE,
            str(event.id),
            [event],
            event_type=event.type,
            missing={"card_uid": [uid]},
        )
    return card


def _visit_signed_in(context: _Context, event: ReceivedEvent) -> None:
    uid, child_id = event.payload["card_uid"], uuid.UUID(event.payload["child_id"])
    card = _known_card(context, event)
    if card is None:
        return
    if card.changed_at < event.corrected_at and (
        card.child_id != child_id or card.status is not CardStatus.ACTIVE
    ):
        context.flags.flag(
            ConflictKind.CARD_USED_AFTER_CENTRAL_CHANGE,
            str(event.id),
            [event],
            card_uid=uid,
            used_for_child_id=child_id,
            used_at=event.corrected_at,
            centre_card_status=card.status.value,
            centre_child_id=card.child_id,
            centre_staff_id=card.staff_id,
            centre_changed_at=card.changed_at,
        )


def _card_registered(context: _Context, event: ReceivedEvent) -> None:
    p = event.payload
    uid = p["card_uid"]
    owner = (_uuid_or_none(p["child_id"]), _uuid_or_none(p["staff_id"]))
    card = context.card(uid)
    if card is None:
        if not _owner_known(context, *owner):
            return  # flagged as an unknown reference
        context.session.add(
            CentralCard(
                school_id=context.school_id,
                uid=uid,
                child_id=owner[0],
                staff_id=owner[1],
                status=CardStatus.ACTIVE,
                registered_at=event.corrected_at,
            )
        )
        context.session.flush()
        return
    same_owner = (card.child_id, card.staff_id) == owner
    if card.status is CardStatus.ACTIVE and same_owner:
        return
    if card.status is CardStatus.ACTIVE:
        context.flags.flag(
            ConflictKind.CARD_REGISTRATION_CLASH,
            str(event.id),
            [event],
            card_uid=uid,
            kiosk_child_id=owner[0],
            kiosk_staff_id=owner[1],
            centre_child_id=card.child_id,
            centre_staff_id=card.staff_id,
        )
    elif _superseded(context, event, card.changed_at, card_uid=uid):
        return
    elif _owner_known(context, *owner):
        card.child_id, card.staff_id = owner
        card.status = CardStatus.ACTIVE
        card.registered_at = event.corrected_at


def _card_reported_lost(context: _Context, event: ReceivedEvent) -> None:
    card = _known_card(context, event)
    if (
        card is not None
        and card.status is not CardStatus.LOST
        and not _superseded(context, event, card.changed_at, card_uid=event.payload["card_uid"])
    ):
        card.status = CardStatus.LOST


def _copy_status_changed(context: _Context, event: ReceivedEvent) -> None:
    _set_copy_status(context, event, CopyStatus(event.payload["status"]))


def _loan_borrowed(context: _Context, event: ReceivedEvent) -> None:
    fact = context.loan(event.payload["loan_id"], event.payload["copy_id"])
    fact.borrowed_event_id = event.id
    fact.borrowed_at = event.corrected_at
    fact.device_id = event.device_id


def _loan_returned(context: _Context, event: ReceivedEvent) -> None:
    fact = context.loan(event.payload["loan_id"], event.payload["copy_id"])
    fact.returned_at = event.corrected_at
    condition = ReturnCondition(event.payload["condition"])
    if condition is ReturnCondition.DAMAGED:
        _set_copy_status(context, event, CopyStatus.DAMAGED)
    elif condition is ReturnCondition.LOST:
        _set_copy_status(context, event, CopyStatus.LOST)


def _set_copy_status(context: _Context, event: ReceivedEvent, status: CopyStatus) -> None:
    copy = context.copy(event.payload["copy_id"])
    if copy is None or copy.status is status:
        return
    if not _superseded(context, event, copy.changed_at, copy_id=copy.id):
        copy.status = status


def _superseded(context: _Context, event: ReceivedEvent, centre_changed_at: datetime, **subject: Any) -> bool:
    """True (and flagged) when the centre changed the row after the kiosk's fact happened."""
    if centre_changed_at <= event.corrected_at:
        return False
    context.flags.flag(
        ConflictKind.KIOSK_CHANGE_SUPERSEDED,
        str(event.id),
        [event],
        event_type=event.type,
        kiosk_changed_at=event.corrected_at,
        centre_changed_at=centre_changed_at,
        **subject,
    )
    return True


def _check_double_loans(context: _Context) -> None:
    context.session.flush()
    by_copy: dict[uuid.UUID, list[LoanFact]] = defaultdict(list)
    for fact in context.loans.values():
        if fact.copy_id in context.touched_copies and fact.borrowed_at is not None:
            by_copy[fact.copy_id].append(fact)
    overlapping: dict[str, tuple[uuid.UUID, LoanFact, LoanFact]] = {}
    apart: set[str] = set()
    for copy_id, facts in by_copy.items():
        facts.sort(key=lambda f: str(f.loan_id))
        for i, a in enumerate(facts):
            for b in facts[i + 1 :]:
                if a.device_id == b.device_id:
                    continue  # one kiosk cannot lend a copy twice: its database refuses
                key = f"{copy_id}:{a.loan_id}:{b.loan_id}"
                if _overlap(a, b):
                    overlapping[key] = (copy_id, a, b)
                else:
                    apart.add(key)
    for key, (copy_id, a, b) in overlapping.items():
        events = [
            context.session.get(ReceivedEvent, (context.school_id, f.borrowed_event_id)) for f in (a, b)
        ]
        context.flags.flag(
            ConflictKind.COPY_LENT_TWICE,
            key,
            [e for e in events if e is not None],
            copy_id=copy_id,
            loans=[
                {
                    "loan_id": f.loan_id,
                    "device_id": f.device_id,
                    "borrowed_at": f.borrowed_at,
                    "returned_at": f.returned_at,
                }
                for f in (a, b)
            ],
        )
    if apart:
        for conflict in context.session.scalars(
            select(Conflict).where(
                Conflict.school_id == context.school_id,
                Conflict.kind == ConflictKind.COPY_LENT_TWICE,
                Conflict.status == ConflictStatus.OPEN,
                Conflict.dedupe_key.in_(apart),
            )
        ):
            conflict.status = ConflictStatus.CLEARED
            conflict.closed_at = datetime.now(UTC)


def _overlap(a: LoanFact, b: LoanFact) -> bool:
    assert a.borrowed_at is not None and b.borrowed_at is not None
    a_end = a.returned_at or datetime.max.replace(tzinfo=UTC)
    b_end = b.returned_at or datetime.max.replace(tzinfo=UTC)
    return a.borrowed_at < b_end and b.borrowed_at < a_end


def _owner_known(context: _Context, child_id: uuid.UUID | None, staff_id: uuid.UUID | None) -> bool:
    model, owner = (CentralChild, child_id) if child_id is not None else (CentralStaff, staff_id)
    row = context.session.get(model, owner)
    return row is not None and row.school_id == context.school_id


def _ids(value: Any) -> list[uuid.UUID]:
    values = value if isinstance(value, list) else [value]
    return [uuid.UUID(str(v)) for v in values if v is not None]


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID | datetime):
        return value.isoformat() if isinstance(value, datetime) else str(value)
    return value


_HANDLERS: dict[str, Callable[[_Context, ReceivedEvent], None]] = {
    "visit.signed_in": _visit_signed_in,
    "card.registered": _card_registered,
    "card.reported_lost": _card_reported_lost,
    "copy.status_changed": _copy_status_changed,
    "loan.borrowed": _loan_borrowed,
    "loan.returned": _loan_returned,
}
