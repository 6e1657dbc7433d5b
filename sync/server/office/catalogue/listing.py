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

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.enums import CopyStatus, ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy, LoanRecord


@dataclass(frozen=True, slots=True)
class CopyLine:
    id: uuid.UUID
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


PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class CataloguePage:
    lines: list[ItemLine]
    total: int  # titles that match, on every page
    page: int
    pages: int


def items_of(
    session: Session,
    school_id: uuid.UUID,
    *,
    kind: ItemKind | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> CataloguePage:
    """One page of items by kind and title; `query` finds a title, an author, an ISBN or a copy's
    barcode. Only the page's copies and loans are read, so a school of thousands of titles answers as
    fast as one of fifty."""
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
    total = session.scalar(select(func.count()).select_from(items.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    ordered = items.order_by(CentralCatalogueItem.kind, CentralCatalogueItem.title, CentralCatalogueItem.id)
    lines = {
        item.id: ItemLine(item)
        for item in session.scalars(ordered.limit(page_size).offset((page - 1) * page_size))
    }
    shown = list(lines)
    out = set(
        session.scalars(
            select(LoanRecord.copy_id).where(
                LoanRecord.school_id == school_id,
                LoanRecord.is_open,
                LoanRecord.copy_id.in_(select(CentralCopy.id).where(CentralCopy.item_id.in_(shown))),
            )
        )
    )
    copies: dict[uuid.UUID, list[CopyLine]] = defaultdict(list)
    for copy in session.scalars(
        select(CentralCopy)
        .where(CentralCopy.school_id == school_id, CentralCopy.item_id.in_(shown))
        .order_by(CentralCopy.barcode)
    ):
        copies[copy.item_id].append(
            CopyLine(copy.id, copy.barcode, copy.status, copy.id in out, copy.acquired_on)
        )
    for item_id, line in lines.items():
        line.copies = copies[item_id]
    return CataloguePage(list(lines.values()), total, page, pages)
