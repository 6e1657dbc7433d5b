"""The room's stock: catalogue entries, the physical copies on the shelf, loans and stocktakes.

A catalogue item is what a child picks ("象棋", "草房子"); a copy is the thing with the barcode or asset
tag. "On loan" is not stored on the copy: it is an open loan row, and the database allows at most one
per copy, so two taps racing cannot lend the same copy twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import CopyStatus, ItemKind, ReturnCondition
from db.events import LoanBorrowed, LoanReturned
from db.limits import BARCODE_MAX
from db.models.base import Base, Returnable, partial_index
from db.types import str_enum


class CatalogueItem(Base):
    __tablename__ = "catalogue_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind), index=True)
    title: Mapped[str] = mapped_column(String(120))
    author: Mapped[str | None] = mapped_column(String(80))
    isbn: Mapped[str | None] = mapped_column(String(17))
    price_fen: Mapped[int | None]  # list price in 分, for 照价赔偿
    active: Mapped[bool] = mapped_column(default=True)

    copies: Mapped[list[Copy]] = relationship(back_populates="item")


class Copy(Base):
    __tablename__ = "copies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(BARCODE_MAX), unique=True)
    status: Mapped[CopyStatus] = mapped_column(str_enum(CopyStatus), default=CopyStatus.IN_SERVICE)
    acquired_on: Mapped[date | None]

    item: Mapped[CatalogueItem] = relationship(back_populates="copies")


class Loan(Returnable, Base):
    __tablename__ = "loans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    copy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("copies.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    borrowed_at: Mapped[datetime]
    due_at: Mapped[datetime]
    returned_at: Mapped[datetime | None]
    return_condition: Mapped[ReturnCondition | None] = mapped_column(str_enum(ReturnCondition))
    compensation_fen: Mapped[int | None]  # owed for damage or loss (照价赔偿); None when nothing is owed

    __table_args__ = (
        partial_index("uq_loans_one_open_per_copy", "copy_id", where="returned_at IS NULL", unique=True),
        Index("ix_loans_child_borrowed", "child_id", "borrowed_at"),
        partial_index("ix_loans_open_due", "due_at", where="returned_at IS NULL"),
        Index("ix_loans_borrowed_at", "borrowed_at"),
        # "What is out right now, newest first": only open loans are indexed, so it stays small forever.
        partial_index("ix_loans_open_borrowed", "borrowed_at", where="returned_at IS NULL"),
    )

    def borrowed_event(self) -> LoanBorrowed:
        return LoanBorrowed(loan_id=self.id, copy_id=self.copy_id, child_id=self.child_id, due_at=self.due_at)

    def returned_event(self) -> LoanReturned:
        assert self.return_condition is not None, "return the loan first"
        return LoanReturned(
            loan_id=self.id,
            copy_id=self.copy_id,
            condition=self.return_condition,
            compensation_fen=self.compensation_fen,
        )


class Stocktake(Base):
    """盘点: the administrator scans everything on the shelf; the difference is what is missing."""

    __tablename__ = "stocktakes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    started_at: Mapped[datetime]
    started_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    finished_at: Mapped[datetime | None]


class StocktakeScan(Base):
    """Each scan is committed on its own, so a power cut half-way through a shelf loses nothing."""

    __tablename__ = "stocktake_scans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    stocktake_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stocktakes.id", ondelete="CASCADE"))
    barcode: Mapped[str] = mapped_column(String(BARCODE_MAX))
    scanned_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("stocktake_id", "barcode"),)
