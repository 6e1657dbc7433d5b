"""Correcting the catalogue by hand, one title or one copy at a time: a misspelt title, a wrong price
(a lost book is compensated at it, 照价赔偿), a copy's barcode label replaced, a copy withdrawn (报废)
or found again.

The fields are read by the import's own readers (catalogue_fields), so a value the import would refuse
is refused here with the same reason. Rows change through the ORM, so the change sequence stamps them
and every kiosk of the school pulls the change at its next sync; a title or barcode already used by
another row of the school is refused, never merged silently.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import CopyStatus, ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy, LoanRecord
from sync.server.office.catalogue import catalogue_fields as read
from sync.server.office.fields import FieldProblem


@dataclass(frozen=True, slots=True)
class TitleDetails:
    kind: ItemKind
    title: str
    author: str | None
    isbn: str | None
    price_fen: int | None


@dataclass(frozen=True, slots=True)
class CopyDetails:
    barcode: str
    status: CopyStatus
    acquired_on: date | None


def title_details(form: dict[str, str]) -> tuple[TitleDetails | None, dict[str, str]]:
    """The title form read field by field: the details, or each field's problem code."""
    problems: dict[str, str] = {}

    def field(name: str, reader, *args):  # type: ignore[no-untyped-def]
        try:
            return reader(form.get(name, ""), *args)
        except FieldProblem as problem:
            problems[name] = problem.code
            return None

    details = TitleDetails(
        kind=field("kind", read.kind),
        title=field("title", read.title),
        author=field("author", read.author),
        isbn=field("isbn", read.isbn),
        price_fen=field("price", read.price_fen),
    )
    return (None if problems else details), problems


def copy_details(form: dict[str, str], today: date) -> tuple[CopyDetails | None, dict[str, str]]:
    problems: dict[str, str] = {}
    barcode = status = acquired = None
    try:
        barcode = read.barcode(form.get("barcode", ""))
    except FieldProblem as problem:
        problems["barcode"] = problem.code
    if form.get("status") in CopyStatus.__members__.values():
        status = CopyStatus(form["status"])
    else:
        problems["status"] = "status_invalid"
    try:
        acquired = read.acquired_on(form.get("acquired_on", ""), today)
    except FieldProblem as problem:
        problems["acquired_on"] = problem.code
    if problems or barcode is None or status is None:
        return None, problems
    return CopyDetails(barcode, status, acquired), problems


def item_of(session: Session, school_id: uuid.UUID, item_id: uuid.UUID) -> CentralCatalogueItem | None:
    item = session.get(CentralCatalogueItem, item_id)
    return item if item is not None and item.school_id == school_id else None


def copy_of(session: Session, school_id: uuid.UUID, copy_id: uuid.UUID) -> CentralCopy | None:
    copy = session.get(CentralCopy, copy_id)
    return copy if copy is not None and copy.school_id == school_id else None


def copies_of(session: Session, item: CentralCatalogueItem) -> list[CentralCopy]:
    return list(
        session.scalars(
            select(CentralCopy).where(CentralCopy.item_id == item.id).order_by(CentralCopy.barcode)
        )
    )


def copies_out(session: Session, school_id: uuid.UUID, copies: list[CentralCopy]) -> set[uuid.UUID]:
    """Which of these copies a child has now: the office shows them as lent, and a lent copy's state
    is not the administrator's to change behind the kiosk's back."""
    return set(
        session.scalars(
            select(LoanRecord.copy_id).where(
                LoanRecord.school_id == school_id,
                LoanRecord.copy_id.in_([c.id for c in copies]),
                LoanRecord.is_open,
            )
        )
    )


def change_title(session: Session, item: CentralCatalogueItem, details: TitleDetails) -> bool:
    """True when something changed. The same title, kind and author as another item of the school
    would make two entries of one book (the import matches by them): refused."""
    twin = session.scalar(
        select(func.count()).where(
            CentralCatalogueItem.school_id == item.school_id,
            CentralCatalogueItem.id != item.id,
            CentralCatalogueItem.kind == details.kind,
            CentralCatalogueItem.title == details.title,
            func.coalesce(CentralCatalogueItem.author, "") == (details.author or ""),
        )
    )
    if twin:
        raise FieldProblem("title_exists")
    wanted = {
        "kind": details.kind,
        "title": details.title,
        "author": details.author,
        "isbn": details.isbn,
        "price_fen": details.price_fen,
    }
    changed = {k: v for k, v in wanted.items() if getattr(item, k) != v}
    for key, value in changed.items():
        setattr(item, key, value)
    return bool(changed)


def change_copy(session: Session, copy: CentralCopy, details: CopyDetails) -> bool:
    """True when something changed; a barcode another copy of the school carries is refused."""
    if details.barcode != copy.barcode:
        taken = session.scalar(
            select(func.count()).where(
                CentralCopy.school_id == copy.school_id,
                CentralCopy.barcode == details.barcode,
                CentralCopy.id != copy.id,
            )
        )
        if taken:
            raise FieldProblem("barcode_taken")
    wanted = {"barcode": details.barcode, "status": details.status, "acquired_on": details.acquired_on}
    changed = {k: v for k, v in wanted.items() if getattr(copy, k) != v}
    for key, value in changed.items():
        setattr(copy, key, value)
    return bool(changed)
