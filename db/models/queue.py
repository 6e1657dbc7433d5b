"""The one phone's queue (亲情电话排队): places kept on disk, so a restart mid-queue loses nobody's turn.

Order is `position`, a number that only grows, given inside the joining transaction: not the wall
clock, which the Pi may have wrong, and not the ticket, which starts again each day. `ticket` is the
number the idle screen calls (请 3 号 …), with the child's first name and nothing else.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import QueueExit
from db.events import QueueCalled, QueueJoined, QueueLeft, QueueMoved
from db.models.base import Base, partial_index
from db.types import str_enum


class QueueEntry(Base):
    __tablename__ = "call_queue"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    position: Mapped[int] = mapped_column(unique=True)
    ticket: Mapped[int]
    joined_at: Mapped[datetime]
    called_at: Mapped[datetime | None]  # the idle screen called this child; they have a while to come
    left_at: Mapped[datetime | None]
    exit: Mapped[QueueExit | None] = mapped_column(str_enum(QueueExit))

    __table_args__ = (
        # A child holds at most one place; the database enforces it, not only the service.
        partial_index("uq_call_queue_one_place_per_child", "child_id", where="left_at IS NULL", unique=True),
        partial_index("ix_call_queue_waiting", "position", where="left_at IS NULL"),
    )

    def joined_event(self) -> QueueJoined:
        return QueueJoined(entry_id=self.id, child_id=self.child_id, ticket=self.ticket)

    def called_event(self) -> QueueCalled:
        return QueueCalled(entry_id=self.id)

    def left_event(self, staff_id: uuid.UUID | None = None) -> QueueLeft:
        assert self.exit is not None, "leave the queue first"
        return QueueLeft(entry_id=self.id, reason=self.exit, staff_id=staff_id)

    def moved_event(self, past: QueueEntry, staff_id: uuid.UUID) -> QueueMoved:
        return QueueMoved(entry_id=self.id, past_entry_id=past.id, staff_id=staff_id)
