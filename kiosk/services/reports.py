"""What the administrator checks on the kiosk: today's room, borrow records, overdue items, stock,
who is due a family call, one child's history.

Read-only, on a snapshot that never takes the write lock, so a slow report never delays a child's tap.
Names appear here because these screens are behind the staff PIN; they are never logged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, case, func, literal, select, union_all

from db.enums import CallDirection, CallKind, CopyStatus, ItemKind, Relation, ReturnCondition, VisitEnd
from db.models import CatalogueItem, Child, Contact, Copy, FamilyCall, Loan, Visit
from kiosk.services.contact_due import ContactDue, children_due_for_contact
from kiosk.services.days import day_bounds, is_birthday, local_date
from kiosk.services.lookups import copies_on_loan
from kiosk.services.room_settings import load_settings
from kiosk.services.signin import ChildSummary
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OverdueLoan:
    loan_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    class_name: str
    title: str
    barcode: str
    due_date: date
    days_overdue: int


@dataclass(frozen=True, slots=True)
class BorrowRecord:
    loan_id: uuid.UUID
    child_name: str
    class_name: str
    title: str
    kind: ItemKind
    barcode: str
    borrowed_at: datetime
    due_date: date
    returned_at: datetime | None
    condition: ReturnCondition | None
    compensation_fen: int | None


@dataclass(frozen=True, slots=True)
class VisitLine:
    child_name: str
    class_name: str
    signed_in_at: datetime
    signed_out_at: datetime | None
    end_reason: VisitEnd | None


@dataclass(frozen=True, slots=True)
class CallLine:
    child_name: str
    class_name: str
    relation: Relation
    kind: CallKind
    direction: CallDirection
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    what: Literal["visit", "call", "loan"]
    row_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class StockSummary:
    item_id: uuid.UUID
    title: str
    kind: ItemKind
    copies: int
    on_shelf: int
    on_loan: int
    damaged: int
    lost: int


@dataclass(frozen=True, slots=True)
class BirthdayChild:
    child_id: uuid.UUID
    name: str
    class_name: str


def overdue_loans(uow: UnitOfWork) -> list[OverdueLoan]:
    with uow.read() as session:
        zone = load_settings(session).zone
        now = uow.clock.now()
        today = local_date(now, zone)
        rows = session.execute(
            _loans_with_details(
                Loan.id,
                Child.id,
                Child.name,
                Child.class_name,
                CatalogueItem.title,
                Copy.barcode,
                Loan.due_at,
            )
            .where(Loan.is_open, Loan.due_at < now)
            .order_by(Loan.due_at)
        ).all()
        return [
            OverdueLoan(
                loan_id,
                child_id,
                name,
                class_name,
                title,
                barcode,
                local_date(due_at, zone),
                (today - local_date(due_at, zone)).days,
            )
            for loan_id, child_id, name, class_name, title, barcode, due_at in rows
        ]


def contact_due_list(uow: UnitOfWork) -> list[ContactDue]:
    """For the administrator's screen only (behind the PIN): children overdue for a family call."""
    with uow.read() as session:
        return children_due_for_contact(session, uow.clock.now(), load_settings(session))


def borrow_records(
    uow: UnitOfWork,
    *,
    open_only: bool = False,
    kind: ItemKind | None = None,
    child_id: uuid.UUID | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> list[BorrowRecord]:
    with uow.read() as session:
        zone = load_settings(session).zone
        query = (
            _loans_with_details(
                Loan, Child.name, Child.class_name, CatalogueItem.title, CatalogueItem.kind, Copy.barcode
            )
            .order_by(Loan.borrowed_at.desc())
            .limit(limit)
        )
        if open_only:
            query = query.where(Loan.is_open)
        if kind is not None:
            query = query.where(CatalogueItem.kind == kind)
        if child_id is not None:
            query = query.where(Loan.child_id == child_id)
        if since is not None:
            query = query.where(Loan.borrowed_at >= since)
        return [
            BorrowRecord(
                loan.id,
                name,
                class_name,
                title,
                item_kind,
                barcode,
                loan.borrowed_at,
                local_date(loan.due_at, zone),
                loan.returned_at,
                loan.return_condition,
                loan.compensation_fen,
            )
            for loan, name, class_name, title, item_kind, barcode in session.execute(query)
        ]


def visits_on(uow: UnitOfWork, day: date | None = None) -> list[VisitLine]:
    with uow.read() as session:
        zone = load_settings(session).zone
        start, end = day_bounds(day or local_date(uow.clock.now(), zone), zone)
        rows = session.execute(
            select(Child.name, Child.class_name, Visit.signed_in_at, Visit.signed_out_at, Visit.end_reason)
            .join(Child, Visit.child_id == Child.id)
            .where(Visit.signed_in_at >= start, Visit.signed_in_at < end)
            .order_by(Visit.signed_in_at)
        ).all()
        return [VisitLine(*row) for row in rows]


def calls_on(uow: UnitOfWork, day: date | None = None) -> list[CallLine]:
    with uow.read() as session:
        zone = load_settings(session).zone
        start, end = day_bounds(day or local_date(uow.clock.now(), zone), zone)
        rows = session.execute(
            select(
                Child.name,
                Child.class_name,
                Contact.relation,
                FamilyCall.kind,
                FamilyCall.direction,
                FamilyCall.started_at,
                FamilyCall.ended_at,
            )
            .join(Child, FamilyCall.child_id == Child.id)
            .join(Contact, FamilyCall.callee_id == Contact.id)
            .where(FamilyCall.started_at >= start, FamilyCall.started_at < end)
            .order_by(FamilyCall.started_at)
        ).all()
        return [CallLine(*row) for row in rows]


def child_history(uow: UnitOfWork, child_id: uuid.UUID, limit: int = 50) -> list[HistoryEntry]:
    """The newest visits, calls and loans of one child, merged by time (each side uses its own index)."""
    with uow.read() as session:
        parts = [
            select(Visit.signed_in_at.label("at"), literal("visit").label("what"), Visit.id.label("row_id"))
            .where(Visit.child_id == child_id)
            .order_by(Visit.signed_in_at.desc())
            .limit(limit),
            select(FamilyCall.started_at, literal("call"), FamilyCall.id)
            .where(FamilyCall.child_id == child_id)
            .order_by(FamilyCall.started_at.desc())
            .limit(limit),
            select(Loan.borrowed_at, literal("loan"), Loan.id)
            .where(Loan.child_id == child_id)
            .order_by(Loan.borrowed_at.desc())
            .limit(limit),
        ]
        merged = union_all(*(part.subquery().select() for part in parts)).subquery()
        rows = session.execute(
            select(merged.c.at, merged.c.what, merged.c.row_id).order_by(merged.c.at.desc()).limit(limit)
        ).all()
        return [HistoryEntry(at, what, row_id) for at, what, row_id in rows]


def find_children(uow: UnitOfWork, text: str, limit: int = 20) -> list[ChildSummary]:
    """Children whose name contains `text`, for the administrator registering a card."""
    needle = text.strip()
    if not needle:
        return []
    with uow.read() as session:
        rows = session.execute(
            select(Child.id, Child.name, Child.class_name)
            .where(Child.active.is_(True), Child.name.contains(needle, autoescape=True))
            .order_by(Child.grade, Child.class_name, Child.name)
            .limit(limit)
        ).all()
        return [ChildSummary(*row) for row in rows]


def birthdays_today(uow: UnitOfWork) -> list[BirthdayChild]:
    with uow.read() as session:
        today = local_date(uow.clock.now(), load_settings(session).zone)
        rows = session.execute(
            select(Child.id, Child.name, Child.class_name, Child.birthday).where(
                Child.active.is_(True), Child.birthday.is_not(None)
            )
        ).all()
        return [BirthdayChild(cid, name, cls) for cid, name, cls, born in rows if is_birthday(born, today)]


def stock_summary(uow: UnitOfWork) -> list[StockSummary]:
    with uow.read() as session:
        open_loans = copies_on_loan().subquery()
        lent = open_loans.c.copy_id.is_not(None)

        rows = session.execute(
            select(
                CatalogueItem.id,
                CatalogueItem.title,
                CatalogueItem.kind,
                func.count(Copy.id),
                _count_where((Copy.status == CopyStatus.IN_SERVICE) & ~lent),
                _count_where(lent),
                _count_where(Copy.status == CopyStatus.DAMAGED),
                _count_where(Copy.status == CopyStatus.LOST),
            )
            .join(Copy, Copy.item_id == CatalogueItem.id)
            .outerjoin(open_loans, open_loans.c.copy_id == Copy.id)
            .group_by(CatalogueItem.id, CatalogueItem.title, CatalogueItem.kind)
            .order_by(CatalogueItem.kind, CatalogueItem.title)
        ).all()
        return [StockSummary(*row) for row in rows]


def _loans_with_details(*columns: Any) -> Select[Any]:
    """Loans joined to their child, copy and catalogue entry: what every borrowing list shows."""
    return (
        select(*columns)
        .select_from(Loan)
        .join(Child, Loan.child_id == Child.id)
        .join(Copy, Loan.copy_id == Copy.id)
        .join(CatalogueItem, Copy.item_id == CatalogueItem.id)
    )


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
