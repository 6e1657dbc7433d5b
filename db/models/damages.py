"""损坏公物照价赔偿: a thing damaged or lost, who is answerable, what it is worth, the amount agreed,
and whether it was paid or waived. Made when a loan comes back damaged or lost, or entered by the
administrator for something broken in the room."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import DamageSettlement, ReturnCondition
from db.events import DamageAmountAgreed, DamageRecorded, DamageSettled
from db.models.base import Base
from db.types import str_enum


class Damage(Base):
    __tablename__ = "damages"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    copy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("copies.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    loan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("loans.id"))
    condition: Mapped[ReturnCondition] = mapped_column(str_enum(ReturnCondition))
    value_fen: Mapped[int | None]  # the list price when recorded; None when the catalogue has none
    amount_fen: Mapped[int | None]  # what is asked: the price until an amount is agreed
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))  # None: the borrower
    settlement: Mapped[DamageSettlement | None] = mapped_column(str_enum(DamageSettlement))
    settled_at: Mapped[datetime | None]
    settled_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        Index("ix_damages_child", "child_id"),
        Index("ix_damages_recorded_at", "recorded_at"),
    )

    def recorded_event(self) -> DamageRecorded:
        return DamageRecorded(
            damage_id=self.id,
            copy_id=self.copy_id,
            child_id=self.child_id,
            loan_id=self.loan_id,
            condition=self.condition,
            value_fen=self.value_fen,
            amount_fen=self.amount_fen,
            staff_id=self.recorded_by,
        )

    def agreed_event(self, staff_id: uuid.UUID) -> DamageAmountAgreed:
        assert self.amount_fen is not None
        return DamageAmountAgreed(damage_id=self.id, amount_fen=self.amount_fen, staff_id=staff_id)

    def settled_event(self) -> DamageSettled:
        assert self.settlement is not None and self.settled_by is not None, "settle it first"
        paid = (self.amount_fen or 0) if self.settlement is DamageSettlement.PAID else 0
        return DamageSettled(
            damage_id=self.id, settlement=self.settlement, amount_fen=paid, staff_id=self.settled_by
        )
