"""The room's other registers as record rows the office's reports count, built from the kiosks' events
at intake like the others (sync.server.models.reporting, sync.server.projections): TV/VCD showings
and who watched, damage and its compensation, emergencies and when each party was told.

Ids only, no names: the reports join the roster for those, and an erased child stays an anonymous id.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import DamageSettlement, NotifyParty, ReturnCondition, ShowingMedium
from db.limits import SHOWING_CONTENT_MAX
from db.types import str_enum
from sync.server.models.base import CentralBase
from sync.server.models.reporting import _Fact


class ShowingRecord(_Fact, CentralBase):
    """电视、VCD放映登记: time, content; `day` is the school's local day the showing started."""

    __tablename__ = "showing_records"

    showing_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    staff_id: Mapped[uuid.UUID]
    medium: Mapped[ShowingMedium] = mapped_column(str_enum(ShowingMedium))
    content: Mapped[str] = mapped_column(String(SHOWING_CONTENT_MAX))
    starts_at: Mapped[datetime]
    day: Mapped[date]
    closed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_showing_records_school_day", "school_id", "day"),)


class ShowingViewerRecord(_Fact, CentralBase):
    """Who watched (观看人员签名): one row per child and showing."""

    __tablename__ = "showing_viewer_records"

    showing_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    joined_at: Mapped[datetime]


class DamageRecord(_Fact, CentralBase):
    """损坏公物照价赔偿: item, value, child, the amount asked or agreed, paid or waived."""

    __tablename__ = "damage_records"

    damage_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    copy_id: Mapped[uuid.UUID]
    child_id: Mapped[uuid.UUID]
    loan_id: Mapped[uuid.UUID | None]
    condition: Mapped[ReturnCondition] = mapped_column(str_enum(ReturnCondition))
    value_fen: Mapped[int | None]
    amount_fen: Mapped[int | None]
    staff_id: Mapped[uuid.UUID | None]  # None: the borrower said so on returning it
    recorded_at: Mapped[datetime]
    day: Mapped[date]
    settlement: Mapped[DamageSettlement | None] = mapped_column(str_enum(DamageSettlement))
    settled_at: Mapped[datetime | None]
    paid_fen: Mapped[int | None]

    __table_args__ = (Index("ix_damage_records_school_day", "school_id", "day"),)


class IncidentRecord(_Fact, CentralBase):
    __tablename__ = "incident_records"

    incident_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID]
    staff_id: Mapped[uuid.UUID]
    opened_at: Mapped[datetime]
    day: Mapped[date]

    __table_args__ = (Index("ix_incident_records_school_day", "school_id", "day"),)


class IncidentNoticeRecord(_Fact, CentralBase):
    """Who had to be told by when, and when they were."""

    __tablename__ = "incident_notice_records"

    incident_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party: Mapped[NotifyParty] = mapped_column(str_enum(NotifyParty), primary_key=True)
    due_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]


REGISTER_RECORD_MODELS: tuple[type[CentralBase], ...] = (
    ShowingRecord,
    ShowingViewerRecord,
    DamageRecord,
    IncidentRecord,
    IncidentNoticeRecord,
)
