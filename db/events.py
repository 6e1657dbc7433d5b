"""The facts a kiosk records, as typed event payloads: the one schema the kiosk, client and server share.

Payloads carry ids, never names or phone numbers: the server already has the roster, and an event
sitting in an outbox or a log should not identify a child on its own. The envelope (id, device, seq,
wall time, boot id, monotonic time) is added by the unit of work, not by the services.

Sizes and ranges come from db.limits, the same numbers the kiosk's and the server's columns use: an
event the kiosk can build is one the server can store. The server validates every payload against these
classes; one that does not match is set aside there, not stored (see sync.server.intake.screening).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from db.enums import (
    CallDirection,
    CallEnd,
    CallKind,
    CallReason,
    CopyStatus,
    DamageSettlement,
    LetterDirection,
    NotifyParty,
    QueueExit,
    ReturnCondition,
    ShowingMedium,
    VisitEnd,
)
from db.limits import BARCODE_MAX, CARD_UID_MAX, INT32_MAX, SHOWING_CONTENT_MAX

CardUid = Annotated[str, StringConstraints(min_length=1, max_length=CARD_UID_MAX)]
Barcode = Annotated[str, StringConstraints(min_length=1, max_length=BARCODE_MAX)]
Fen = Annotated[int, Field(ge=0, le=INT32_MAX)]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
ShowingContent = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHOWING_CONTENT_MAX)
]


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    type: ClassVar[str]


class VisitSignedIn(Event):
    type: ClassVar[str] = "visit.signed_in"
    visit_id: uuid.UUID
    child_id: uuid.UUID
    card_uid: CardUid


class VisitSignedOut(Event):
    type: ClassVar[str] = "visit.signed_out"
    visit_id: uuid.UUID
    child_id: uuid.UUID
    reason: VisitEnd
    signed_out_at: datetime | None  # None when the child never signed out (reason not_signed_out)


class CallStarted(Event):
    type: ClassVar[str] = "call.started"
    call_id: uuid.UUID
    child_id: uuid.UUID
    callee_id: uuid.UUID
    kind: CallKind
    direction: CallDirection
    reason: CallReason | None
    logged_by_staff_id: uuid.UUID | None = None
    # When the call began, on the kiosk's wall clock. An incoming call is logged after it ended, so
    # the event's own time is the logging, not the call; older kiosks omit it (then: the event time).
    started_at: datetime | None = None


class CallEnded(Event):
    type: ClassVar[str] = "call.ended"
    call_id: uuid.UUID
    ended_at: datetime
    reason: CallEnd


class LetterRecorded(Event):
    type: ClassVar[str] = "letter.recorded"
    letter_id: uuid.UUID
    child_id: uuid.UUID
    contact_id: uuid.UUID
    direction: LetterDirection
    logged_by_staff_id: uuid.UUID | None = None  # None: the child recorded it on her own screen


class LoanBorrowed(Event):
    type: ClassVar[str] = "loan.borrowed"
    loan_id: uuid.UUID
    copy_id: uuid.UUID
    child_id: uuid.UUID
    due_at: datetime


class LoanReturned(Event):
    type: ClassVar[str] = "loan.returned"
    loan_id: uuid.UUID
    copy_id: uuid.UUID
    condition: ReturnCondition
    compensation_fen: Fen | None


class RoomOpened(Event):
    type: ClassVar[str] = "room.opened"
    session_id: uuid.UUID
    staff_id: uuid.UUID


class RoomClosed(Event):
    type: ClassVar[str] = "room.closed"
    session_id: uuid.UUID
    staff_id: uuid.UUID


class CardRegistered(Event):
    type: ClassVar[str] = "card.registered"
    card_uid: CardUid
    child_id: uuid.UUID | None
    staff_id: uuid.UUID | None
    registered_by: uuid.UUID

    @model_validator(mode="after")
    def _one_owner(self) -> Self:
        """A card is a child's or a staff member's, never both or neither (the cards tables check it)."""
        if (self.child_id is None) == (self.staff_id is None):
            raise ValueError("a card belongs to exactly one child or one staff member")
        return self


class CardReportedLost(Event):
    type: ClassVar[str] = "card.reported_lost"
    card_uid: CardUid
    reported_by: uuid.UUID


class CopyStatusChanged(Event):
    type: ClassVar[str] = "copy.status_changed"
    copy_id: uuid.UUID
    status: CopyStatus
    changed_by: uuid.UUID


class StocktakeFinished(Event):
    type: ClassVar[str] = "stocktake.finished"
    stocktake_id: uuid.UUID
    staff_id: uuid.UUID
    started_at: datetime
    scanned_count: Count
    missing_copy_ids: list[uuid.UUID]
    unexpected_barcodes: list[Barcode]


class QueueJoined(Event):
    """The phone was busy: the child takes the next place. `ticket` is the number the idle screen calls."""

    type: ClassVar[str] = "queue.joined"
    entry_id: uuid.UUID
    child_id: uuid.UUID
    ticket: Annotated[int, Field(ge=1, le=INT32_MAX)]


class QueueCalled(Event):
    type: ClassVar[str] = "queue.called"
    entry_id: uuid.UUID


class QueueLeft(Event):
    type: ClassVar[str] = "queue.left"
    entry_id: uuid.UUID
    reason: QueueExit
    staff_id: uuid.UUID | None = None  # the duty teacher who took the child out (QueueExit.REMOVED)


class QueueMoved(Event):
    """The duty teacher moved a child past the one next in the queue (up or down): order is a fact too."""

    type: ClassVar[str] = "queue.moved"
    entry_id: uuid.UUID
    past_entry_id: uuid.UUID
    staff_id: uuid.UUID


class ShowingOpened(Event):
    """电视、VCD放映登记: the administrator opens a showing; `starts_at` is on the kiosk's wall clock."""

    type: ClassVar[str] = "showing.opened"
    showing_id: uuid.UUID
    staff_id: uuid.UUID
    medium: ShowingMedium
    content: ShowingContent
    starts_at: datetime


class ShowingJoined(Event):
    type: ClassVar[str] = "showing.joined"
    showing_id: uuid.UUID
    child_id: uuid.UUID


class ShowingClosed(Event):
    type: ClassVar[str] = "showing.closed"
    showing_id: uuid.UUID
    staff_id: uuid.UUID


class DamageRecorded(Event):
    """损坏公物照价赔偿: a thing came back damaged or was lost. `staff_id` is None when the borrower
    recorded it on returning; `amount_fen` is what is asked (the price until an amount is agreed)."""

    type: ClassVar[str] = "damage.recorded"
    damage_id: uuid.UUID
    copy_id: uuid.UUID
    child_id: uuid.UUID
    loan_id: uuid.UUID | None
    condition: ReturnCondition
    value_fen: Fen | None
    amount_fen: Fen | None
    staff_id: uuid.UUID | None

    @model_validator(mode="after")
    def _damaged_or_lost(self) -> Self:
        if self.condition is ReturnCondition.OK:
            raise ValueError("a damage record is for a damaged or lost thing")
        return self


class DamageAmountAgreed(Event):
    type: ClassVar[str] = "damage.amount_agreed"
    damage_id: uuid.UUID
    amount_fen: Fen
    staff_id: uuid.UUID


class DamageSettled(Event):
    """Paid (the amount agreed) or waived (nothing paid)."""

    type: ClassVar[str] = "damage.settled"
    damage_id: uuid.UUID
    settlement: DamageSettlement
    amount_fen: Fen
    staff_id: uuid.UUID


class NoticeDue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    party: NotifyParty
    due_at: datetime


class IncidentOpened(Event):
    """突发事件: who must be told by when, fixed when it is opened from the school's deadlines."""

    type: ClassVar[str] = "incident.opened"
    incident_id: uuid.UUID
    child_id: uuid.UUID
    staff_id: uuid.UUID
    notices: Annotated[list[NoticeDue], Field(min_length=1, max_length=len(NotifyParty))]


class IncidentNotified(Event):
    type: ClassVar[str] = "incident.notified"
    incident_id: uuid.UUID
    party: NotifyParty
    notified_at: datetime
    staff_id: uuid.UUID


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        VisitSignedIn,
        VisitSignedOut,
        CallStarted,
        CallEnded,
        LetterRecorded,
        LoanBorrowed,
        LoanReturned,
        RoomOpened,
        RoomClosed,
        CardRegistered,
        CardReportedLost,
        CopyStatusChanged,
        StocktakeFinished,
        QueueJoined,
        QueueCalled,
        QueueLeft,
        QueueMoved,
        ShowingOpened,
        ShowingJoined,
        ShowingClosed,
        DamageRecorded,
        DamageAmountAgreed,
        DamageSettled,
        IncidentOpened,
        IncidentNotified,
    )
}


def parse_event(event_type: str, payload: dict[str, Any]) -> Event:
    """Validate a payload: KeyError for an unknown type, pydantic.ValidationError for bad data."""
    return EVENT_TYPES[event_type].model_validate(payload)
