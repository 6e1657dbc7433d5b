"""突发事件: an emergency about a child, and who must be told by when (school leaders and the
entrusted guardian within 20 or 30 minutes, the parents within an hour, the education bureau within
two — the school's own deadlines, fixed on each notice when the incident is opened), each ticked once
with the time it was done."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import NotifyParty
from db.events import IncidentNotified, IncidentOpened, NoticeDue
from db.models.base import Base
from db.types import str_enum


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    opened_at: Mapped[datetime] = mapped_column(index=True)
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))

    notices: Mapped[list[IncidentNotice]] = relationship(order_by="IncidentNotice.due_at")

    def opened_event(self) -> IncidentOpened:
        return IncidentOpened(
            incident_id=self.id,
            child_id=self.child_id,
            staff_id=self.opened_by,
            notices=[NoticeDue(party=n.party, due_at=n.due_at) for n in self.notices],
        )


class IncidentNotice(Base):
    __tablename__ = "incident_notices"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    party: Mapped[NotifyParty] = mapped_column(str_enum(NotifyParty), primary_key=True)
    due_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]
    notified_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    def notified_event(self) -> IncidentNotified:
        assert self.notified_at is not None and self.notified_by is not None, "tick it first"
        return IncidentNotified(
            incident_id=self.incident_id,
            party=self.party,
            notified_at=self.notified_at,
            staff_id=self.notified_by,
        )
