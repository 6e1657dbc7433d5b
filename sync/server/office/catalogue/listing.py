"""The school's catalogue as the office lists it: each item with its copies, their barcodes and shelf
state, and which copies are out on loan now.

"On loan" is not a copy's status (db.enums.CopyStatus) but an open loan the kiosks reported, so it is
read from the loan records; the counts therefore agree with the 资产登记造册 report.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.enums import CopyStatus, ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy, LoanRecord


@dataclass(frozen=True, slots=True)
class CopyLine:
    barcode: str
    status: CopyStatus
    on_loan: bool
    acquired_on: date | None


@dataclass
class ItemLine:
    item: CentralCatalogueItem
    copies: list[CopyLine] = field(default_factory=list)

    @property
    def on_loan(self) -> int:
        return sum(1 for c in self.copies if c.on_loan)

    @property
    def damaged(self) -> int:
        return sum(1 for c in self.copies if c.status is CopyStatus.DAMAGED)

    @property
    def lost(self) -> int:
        return sum(1 for c in self.copies if c.status is CopyStatus.LOST)


def items_of(
    session: Session, school_id: uuid.UUID, *, kind: ItemKind | None = None, query: str = ""
) -> list[ItemLine]:
    """Items by kind and title; `query` finds a title, an author, an ISBN or a copy's barcode."""
    items = select(CentralCatalogueItem).where(CentralCatalogueItem.school_id == school_id)
    if kind is not None:
        items = items.where(CentralCatalogueItem.kind == kind)
    if query:
        pattern = f"%{query}%"
        with_barcode = select(CentralCopy.item_id).where(
            CentralCopy.school_id == school_id, CentralCopy.barcode.ilike(pattern)
        )
        items = items.where(
            or_(
                CentralCatalogueItem.title.ilike(pattern),
                CentralCatalogueItem.author.ilike(pattern),
                CentralCatalogueItem.isbn.ilike(pattern),
                CentralCatalogueItem.id.in_(with_barcode),
            )
        )
    lines = {
        item.id: ItemLine(item)
        for item in session.scalars(items.order_by(CentralCatalogueItem.kind, CentralCatalogueItem.title))
    }
    out = set(
        session.scalars(
            select(CentralCopy.id)
            .join(LoanRecord, and_(LoanRecord.copy_id == CentralCopy.id, LoanRecord.school_id == school_id))
            .where(CentralCopy.school_id == school_id, LoanRecord.is_open)
        )
    )
    copies: dict[uuid.UUID, list[CopyLine]] = defaultdict(list)
    for copy in session.scalars(
        select(CentralCopy).where(CentralCopy.school_id == school_id).order_by(CentralCopy.barcode)
    ):
        if copy.item_id in lines:
            copies[copy.item_id].append(CopyLine(copy.barcode, copy.status, copy.id in out, copy.acquired_on))
    for item_id, line in lines.items():
        line.copies = copies[item_id]
    return list(lines.values())
