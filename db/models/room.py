"""What happens in the room: visits (签到/签退), family calls and the room's own opening sessions.

The kiosk is the authority for these rows; each change is written together with its outbox event.
Each row builds its own events (`started_event`, `ended_event` …), so the fields an event carries are
read from the row in one place and a service cannot send one thing while storing another.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import CallDirection, CallEnd, CallKind, CallReason, LetterDirection, VisitEnd
from db.events import (
    CallEnded,
    CallStarted,
    LetterRecorded,
    RoomClosed,
    RoomOpened,
    VisitSignedIn,
    VisitSignedOut,
)
from db.models.base import Base, partial_index
from db.types import str_enum


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    signed_in_at: Mapped[datetime]
    signed_out_at: Mapped[datetime | None]
    end_reason: Mapped[VisitEnd | None] = mapped_column(str_enum(VisitEnd))
    # Where the sign-in happened on the kiosk's monotonic clock: a second tap moments later is
    # recognised even if the wall clock was corrected in between.
    boot_id: Mapped[str] = mapped_column(String(40))
    monotonic_ns: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_visits_child_signed_in", "child_id", "signed_in_at"),
        Index("ix_visits_signed_in_at", "signed_in_at"),
        # A child is in the room at most once: the database enforces it, not just the service.
        partial_index("uq_visits_one_open_per_child", "child_id", where="end_reason IS NULL", unique=True),
    )

    def signed_in_event(self, card_uid: str) -> VisitSignedIn:
        return VisitSignedIn(visit_id=self.id, child_id=self.child_id, card_uid=card_uid)

    def signed_out_event(self) -> VisitSignedOut:
        assert self.end_reason is not None, "end the visit before recording its end"
        return VisitSignedOut(
            visit_id=self.id, child_id=self.child_id, reason=self.end_reason, signed_out_at=self.signed_out_at
        )


class FamilyCall(Base):
    """亲情电话 / 视频: logged before it is dialled (先记载再打亲情电话)."""

    __tablename__ = "family_calls"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    callee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    kind: Mapped[CallKind] = mapped_column(str_enum(CallKind))
    direction: Mapped[CallDirection] = mapped_column(str_enum(CallDirection), default=CallDirection.OUTGOING)
    reason: Mapped[CallReason | None] = mapped_column(str_enum(CallReason))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[CallEnd | None] = mapped_column(str_enum(CallEnd))
    logged_by_staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        Index("ix_family_calls_child_started", "child_id", "started_at"),
        Index("ix_family_calls_started_at", "started_at"),
        partial_index(
            "uq_family_calls_one_open_per_child", "child_id", where="ended_at IS NULL", unique=True
        ),
    )

    def started_event(self) -> CallStarted:
        """`started_at` travels too: an incoming call is logged after it ended, so the event's own time
        is the logging, not the call."""
        return CallStarted(
            call_id=self.id,
            child_id=self.child_id,
            callee_id=self.callee_id,
            kind=self.kind,
            direction=self.direction,
            reason=self.reason,
            logged_by_staff_id=self.logged_by_staff_id,
            started_at=self.started_at,
        )

    def ended_event(self) -> CallEnded:
        assert self.ended_at is not None and self.end_reason is not None, "end the call first"
        return CallEnded(call_id=self.id, ended_at=self.ended_at, reason=self.end_reason)


class FamilyLetter(Base):
    """A letter home or from home (家书), recorded by the child or the duty teacher. Many rules count
    写信或通话 alike as keeping in touch."""

    __tablename__ = "family_letters"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    direction: Mapped[LetterDirection] = mapped_column(str_enum(LetterDirection))
    recorded_at: Mapped[datetime]
    # None: the child recorded it herself after tapping her card.
    logged_by_staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_family_letters_child_recorded", "child_id", "recorded_at"),)

    def recorded_event(self) -> LetterRecorded:
        return LetterRecorded(
            letter_id=self.id,
            child_id=self.child_id,
            contact_id=self.contact_id,
            direction=self.direction,
            logged_by_staff_id=self.logged_by_staff_id,
        )


class RoomSession(Base):
    """The room opened and closed by a duty teacher; the rules ask for at least an hour a day.

    At most one session is open; the service checks it inside a BEGIN IMMEDIATE transaction.
    """

    __tablename__ = "room_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    opened_at: Mapped[datetime] = mapped_column(index=True)
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    def opened_event(self) -> RoomOpened:
        return RoomOpened(session_id=self.id, staff_id=self.opened_by)

    def closed_event(self) -> RoomClosed:
        assert self.closed_by is not None, "close the session first"
        return RoomClosed(session_id=self.id, staff_id=self.closed_by)
