"""Checking each row of a book and equipment register against the school's catalogue, writing nothing:
what catalogue_import stages for the preview.

A row is one copy, known by its barcode. A barcode the school does not have is a new copy, of an item
the school already has (the same ISBN, or the same kind, title and author) or of a new one made from
the rows that name it (`new_item`); a barcode it has is the same copy again (`copy_id`, `item_id`),
unchanged or an update of its item's details or its 入库日期. A barcode held by a different title is
refused, never silently moved: a typo must not rename another book. Rows of one item must agree on its
details; an empty optional cell gives none.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy
from sync.server.office.catalogue import catalogue_fields as read
from sync.server.office.fields import FieldProblem, text
from sync.server.office.sheets.sheet_files import Sheet
from sync.server.office.sheets.staging import CheckedRow

# An item's details a row may set; a row's empty optional cell leaves the stored value alone.
DETAILS = ("kind", "title", "author", "isbn", "price_fen")


class _Catalogue:
    """The school's catalogue as a row is checked against it: copies by barcode, items by ISBN and
    by (kind, title, author)."""

    def __init__(self, session: Session, school_id: uuid.UUID) -> None:
        items = session.scalars(
            select(CentralCatalogueItem)
            .where(CentralCatalogueItem.school_id == school_id)
            .order_by(CentralCatalogueItem.id)
        ).all()
        self.items = {item.id: item for item in items}
        self.copies = {
            copy.barcode: copy
            for copy in session.scalars(select(CentralCopy).where(CentralCopy.school_id == school_id))
        }
        self.by_isbn: dict[str, CentralCatalogueItem] = {}
        self.by_title: dict[tuple[str, str, str], list[CentralCatalogueItem]] = defaultdict(list)
        for item in items:
            if not item.active:
                continue
            if item.isbn:
                self.by_isbn.setdefault(item.isbn, item)
            self.by_title[_title_key(item.kind.value, item.title, item.author)].append(item)

    def item_for(self, values: dict[str, Any]) -> CentralCatalogueItem | None:
        """The item a new copy belongs to: the same ISBN, else the same kind, title and author (an
        item with another ISBN is another edition)."""
        isbn = values.get("isbn")
        if isbn and isbn in self.by_isbn:
            return self.by_isbn[isbn]
        candidates = self.by_title.get(_title_key(values["kind"], values["title"], values.get("author")), [])
        return next((item for item in candidates if item.isbn in (None, isbn)), None)


def _title_key(kind: str, title: str, author: str | None) -> tuple[str, str, str]:
    return (kind, title, author or "")


def check_rows(session: Session, school_id: uuid.UUID, sheet: Sheet, *, today: date) -> list[CheckedRow]:
    catalogue = _Catalogue(session, school_id)
    barcodes = Counter(text(raw.get("barcode")) for _line, raw in sheet.rows)
    read_rows = []
    for line, raw in sheet.rows:
        values, problems = _read_row(raw, today)
        if values.get("barcode") and barcodes[values["barcode"]] > 1:
            problems.append("barcode_duplicate")
        if not problems:
            _place(catalogue, values, problems)
        read_rows.append((line, values, problems))
    _agree_within_items(read_rows)
    return [
        CheckedRow(line, _status(catalogue, values, problems), tuple(dict.fromkeys(problems)), values)
        for line, values, problems in read_rows
    ]


# (column, value, reader): what each column becomes; the price is read in yuan and kept in fen.
_READERS: tuple[tuple[str, str, Any], ...] = (
    ("barcode", "barcode", read.barcode),
    ("title", "title", read.title),
    ("kind", "kind", read.kind),
    ("author", "author", read.author),
    ("isbn", "isbn", read.isbn),
    ("price", "price_fen", read.price_fen),
)


def _read_row(raw: dict[str, Any], today: date) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column, name, reader in _READERS:
        try:
            found = reader(raw.get(column))
        except FieldProblem as problem:
            problems.append(problem.code)
            continue
        if found is not None:
            values[name] = found.value if isinstance(found, ItemKind) else found
    try:
        acquired = read.acquired_on(raw.get("acquired_on"), today)
        if acquired is not None:
            values["acquired_on"] = acquired.isoformat()
    except FieldProblem as problem:
        problems.append(problem.code)
    return values, problems


def _place(catalogue: _Catalogue, values: dict[str, Any], problems: list[str]) -> None:
    """Which copy and item a good row speaks of (`copy_id`, `item_id`), or the new item it makes
    (`new_item`); a barcode of another title is refused."""
    copy = catalogue.copies.get(values["barcode"])
    if copy is not None:
        item = catalogue.items[copy.item_id]
        same_isbn = not (values.get("isbn") and item.isbn) or values["isbn"] == item.isbn
        if item.title != values["title"] or not same_isbn:
            problems.append("barcode_taken")
            return
        values["copy_id"], values["item_id"] = str(copy.id), str(item.id)
        return
    item = catalogue.item_for(values)
    if item is not None:
        values["item_id"] = str(item.id)
    elif values.get("isbn"):
        values["new_item"] = f"isbn:{values['isbn']}"
    else:
        values["new_item"] = "title:" + "|".join(
            _title_key(values["kind"], values["title"], values.get("author"))
        )


def _agree_within_items(read_rows: list[tuple[int, dict[str, Any], list[str]]]) -> None:
    """Rows of one item that give it different details (two prices for one title) are all refused:
    which one is right is for the school to say."""
    groups: dict[str, list[tuple[dict[str, Any], list[str]]]] = defaultdict(list)
    for _line, values, problems in read_rows:
        target = values.get("item_id") or values.get("new_item")
        if target and not problems:
            groups[target].append((values, problems))
    for rows in groups.values():
        differs = any(len({v[name] for v, _ in rows if name in v}) > 1 for name in DETAILS)
        if differs:
            for _values, problems in rows:
                problems.append("item_details_differ")


def _status(catalogue: _Catalogue, values: dict[str, Any], problems: list[str]) -> str:
    if problems:
        return "rejected"
    if "copy_id" not in values:
        return "new"
    copy = catalogue.copies[values["barcode"]]
    item = catalogue.items[copy.item_id]
    return "update" if item_changes(item, values) or _copy_changes(copy, values) else "unchanged"


def _copy_changes(copy: CentralCopy, values: dict[str, Any]) -> bool:
    acquired = values.get("acquired_on")
    return acquired is not None and acquired != (copy.acquired_on and copy.acquired_on.isoformat())


def item_changes(item: CentralCatalogueItem, values: dict[str, Any]) -> dict[str, Any]:
    """The details a checked row gives its item that differ from what is stored."""
    stored = {name: getattr(item, name) for name in DETAILS}
    stored["kind"] = item.kind.value
    return {name: values[name] for name in DETAILS if name in values and values[name] != stored[name]}
