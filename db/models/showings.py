"""电视、VCD放映登记: a showing the administrator opens (time, content) and the children who watched.

A child watches a showing once: the viewers' key is (showing, child), so a second join cannot be
written even if two taps race.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import ShowingMedium
from db.events import ShowingClosed, ShowingJoined, ShowingOpened
from db.limits import SHOWING_CONTENT_MAX
from db.models.base import Base
from db.types import str_enum


class Showing(Base):
    __tablename__ = "showings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    medium: Mapped[ShowingMedium] = mapped_column(str_enum(ShowingMedium))
    content: Mapped[str] = mapped_column(String(SHOWING_CONTENT_MAX))
    starts_at: Mapped[datetime]
    opened_at: Mapped[datetime]
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_showings_starts_at", "starts_at"),)

    def opened_event(self) -> ShowingOpened:
        return ShowingOpened(
            showing_id=self.id,
            staff_id=self.opened_by,
            medium=self.medium,
            content=self.content,
            starts_at=self.starts_at,
        )

    def closed_event(self) -> ShowingClosed:
        assert self.closed_by is not None, "close the showing first"
        return ShowingClosed(showing_id=self.id, staff_id=self.closed_by)


class ShowingViewer(Base):
    __tablename__ = "showing_viewers"

    showing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("showings.id"), primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    joined_at: Mapped[datetime]

    def joined_event(self) -> ShowingJoined:
        return ShowingJoined(showing_id=self.showing_id, child_id=self.child_id)
