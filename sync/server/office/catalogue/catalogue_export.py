"""The catalogue out again, one row per copy in the layout the import reads (catalogue_columns), so a
school can export, correct in Excel and import the file back: nothing changes unless it was edited.
Also the empty template to start from.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import CentralCatalogueItem, CentralCopy
from sync.server.office.catalogue.catalogue_columns import CATALOGUE
from sync.server.office.catalogue.catalogue_fields import KIND_WORDS, price_text
from sync.server.office.sheets.sheet_export import sheet_csv, sheet_xlsx

HEADINGS = CATALOGUE.headings()
_WIDTHS = {"barcode": 14, "title": 28, "kind": 10, "author": 16, "isbn": 16, "price": 10, "acquired_on": 12}


def catalogue_rows(session: Session, school_id: uuid.UUID) -> list[list[str]]:
    found = session.execute(
        select(CentralCopy, CentralCatalogueItem)
        .join(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
        .where(CentralCopy.school_id == school_id)
        .order_by(CentralCatalogueItem.kind, CentralCatalogueItem.title, CentralCopy.barcode)
    )
    rows = []
    for copy, item in found:
        values = {
            "barcode": copy.barcode,
            "title": item.title,
            "kind": KIND_WORDS[item.kind],
            "author": item.author or "",
            "isbn": item.isbn or "",
            "price": price_text(item.price_fen),
            "acquired_on": copy.acquired_on.isoformat() if copy.acquired_on else "",
        }
        rows.append([values[c.field] for c in CATALOGUE.columns])
    return rows


def catalogue_xlsx(title: str, rows: Sequence[Sequence[str]]) -> bytes:
    widths = [_WIDTHS[c.field] for c in CATALOGUE.columns]
    return sheet_xlsx("图书与器材", title, HEADINGS, rows, widths)


def catalogue_csv(rows: Sequence[Sequence[str]]) -> bytes:
    return sheet_csv(HEADINGS, rows)
