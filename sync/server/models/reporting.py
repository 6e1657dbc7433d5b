"""What happened in the rooms, as typed rows the office's reports can count: one row per visit, call,
letter, loan, room opening and stocktake, built from the received events at intake
(sync.server.projections) and rebuilt from them whenever their shape changes.

Received events stay the record; these rows are a view of them that plain SQL can group and index.
Times are the server's corrected times; `day` (and `hour`) are the school's local date (and hour)
of the fact, computed once with the school's time zone, so "visits per day" is a GROUP BY that means
the same on SQLite and PostgreSQL. Keys are (school, id): ids are born on kiosks, and one school's
kiosk must never be able to collide with another school's facts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from db.enums import CallDirection, CallEnd, CallKind, CallReason, LetterDirection, ReturnCondition, VisitEnd
from db.models.base import Returnable
from db.types import str_enum
from sync.server.models.base import CentralBase


class _Fact:
    """Columns every record shares: its school and the kiosk that recorded it."""

    @declared_attr
    def school_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("schools.id"), primary_key=True)

    device_id: Mapped[uuid.UUID]


class VisitRecord(_Fact, CentralBase):
    __tablename__ = "visit_records"

    visit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID]
    signed_in_at: Mapped[datetime]
    day: Mapped[date]
    hour: Mapped[int]
    signed_out_at: Mapped[datetime | None]
    end_reason: Mapped[VisitEnd | None] = mapped_column(str_enum(VisitEnd))

    __table_args__ = (
        Index("ix_visit_records_school_day", "school_id", "day"),
        Index("ix_visit_records_school_child", "school_id", "child_id"),
    )


class CallRecord(_Fact, CentralBase):
    __tablename__ = "call_records"

    call_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID]
    callee_id: Mapped[uuid.UUID]
    kind: Mapped[CallKind] = mapped_column(str_enum(CallKind))
    direction: Mapped[CallDirection] = mapped_column(str_enum(CallDirection))
    reason: Mapped[CallReason | None] = mapped_column(str_enum(CallReason))
    logged_by_staff_id: Mapped[uuid.UUID | None]
    started_at: Mapped[datetime]
    day: Mapped[date]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[CallEnd | None] = mapped_column(str_enum(CallEnd))

    __table_args__ = (
        Index("ix_call_records_school_day", "school_id", "day"),
        Index("ix_call_records_school_child", "school_id", "child_id", "started_at"),
    )


class LetterRecord(_Fact, CentralBase):
    __tablename__ = "letter_records"

    letter_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID]
    contact_id: Mapped[uuid.UUID]
    direction: Mapped[LetterDirection] = mapped_column(str_enum(LetterDirection))
    recorded_at: Mapped[datetime]
    day: Mapped[date]

    __table_args__ = (Index("ix_letter_records_school_child", "school_id", "child_id", "recorded_at"),)


class LoanRecord(Returnable, _Fact, CentralBase):
    __tablename__ = "loan_records"

    loan_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    copy_id: Mapped[uuid.UUID]
    child_id: Mapped[uuid.UUID]
    borrowed_at: Mapped[datetime]
    day: Mapped[date]
    due_at: Mapped[datetime]
    returned_at: Mapped[datetime | None]
    condition: Mapped[ReturnCondition | None] = mapped_column(str_enum(ReturnCondition))
    compensation_fen: Mapped[int | None]

    __table_args__ = (
        Index("ix_loan_records_school_day", "school_id", "day"),
        Index("ix_loan_records_school_child", "school_id", "child_id"),
        Index("ix_loan_records_school_returned", "school_id", "returned_at"),
    )


class RoomSessionRecord(_Fact, CentralBase):
    __tablename__ = "room_session_records"

    session_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    opened_by: Mapped[uuid.UUID]
    opened_at: Mapped[datetime]
    day: Mapped[date]
    closed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_room_session_records_school_day", "school_id", "day"),)


class StocktakeRecord(_Fact, CentralBase):
    __tablename__ = "stocktake_records"

    stocktake_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    staff_id: Mapped[uuid.UUID]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    day: Mapped[date]
    scanned_count: Mapped[int]
    missing_copy_ids: Mapped[list[str]] = mapped_column(JSON)
    unexpected_barcodes: Mapped[list[str]] = mapped_column(JSON)


class ProjectionState(CentralBase):
    """Which version of the projection code built the record tables; an older number means they are
    rebuilt from the received events when the server starts."""

    __tablename__ = "projection_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    built_at: Mapped[datetime]


RECORD_MODELS: tuple[type[CentralBase], ...] = (
    VisitRecord,
    CallRecord,
    LetterRecord,
    LoanRecord,
    RoomSessionRecord,
    StocktakeRecord,
)
