"""Small summaries of the records, kept at intake, so the county overview of two hundred schools reads
a few thousand rows instead of every visit of every school (a city's semester is over a million).

Each is derived from the record tables alone and recomputed for exactly what a pushed batch touched
(sync.server.projections.summaries); a rebuild of the records rebuilds them too.

- DailyRoomFigures: per school and local day, how many visits began and how many loans were made.
- RoomSessionPiece: each room opening's minutes on each local day it touches, with the day it opened
  (a report counts an opening's minutes when it opened in the period, as the room report does).
- ChildVisitMonth: per child and month, the days the child came to the room, as bits (day 1 = bit 0),
  so "who came at least once in the period" is a scan of a few rows per child, not of every visit.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from sync.server.models.base import CentralBase


class DailyRoomFigures(CentralBase):
    __tablename__ = "daily_room_figures"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    visits: Mapped[int]
    loans: Mapped[int]


class RoomSessionPiece(CentralBase):
    __tablename__ = "room_session_pieces"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    opened_day: Mapped[date]
    minutes: Mapped[float]  # 0 for an opening never closed: the day still counts as open

    __table_args__ = (Index("ix_room_session_pieces_school_opened_day", "school_id", "opened_day"),)


class ChildVisitMonth(CentralBase):
    __tablename__ = "child_visit_months"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    child_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    days: Mapped[int]  # bit d-1 set: the child came on day d of the month


SUMMARY_MODELS: tuple[type[CentralBase], ...] = (DailyRoomFigures, RoomSessionPiece, ChildVisitMonth)
