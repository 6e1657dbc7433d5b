"""借书 / 还书, 借器材 / 归还: lending the room's books, periodicals and equipment.

Loan periods and limits are settings (the seeds describe paper registers and never give them). Damage
or loss on return is recorded with the item's price, because the rooms' rule is 损坏公物照价赔偿.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from db.enums import CopyStatus, ItemKind, ReturnCondition
from db.ids import time_ordered_id
from db.models import CatalogueItem, Child, Copy, Loan
from kiosk.services.damages import COPY_STATUS, open_damage
from kiosk.services.days import end_of_local_day, local_date
from kiosk.services.errors import (
    AlreadyOnLoan,
    CopyNotLendable,
    HasOverdueLoans,
    LoanLimitReached,
    NoCopyAvailable,
    NotInCatalogue,
    NotOnLoan,
    NotTheBorrower,
    UnknownItem,
)
from kiosk.services.lookups import copies_on_loan, is_on_loan, require_child, require_staff
from kiosk.services.room_settings import load_settings
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class LoanReceipt:
    loan_id: uuid.UUID
    title: str
    kind: ItemKind
    barcode: str
    due_at: datetime
    due_date: date  # local date, what the screen says: 请在11月30日前归还


@dataclass(frozen=True, slots=True)
class ChildReturn:
    """What the child's own screen may say about what she brought back, read by anyone near: returned
    with thanks, or — lost or damaged — "please see the teacher". It has no amount to show: the sum
    to pay goes on the teacher's 损坏赔偿 list, not on a public screen."""

    title: str
    barcode: str
    returned: bool  # back in good order: 已归还, thank you
    see_teacher: bool  # lost or damaged: 请找管理员老师 (never "returned", never a sum)
    days_overdue: int


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    loan_id: uuid.UUID
    title: str
    barcode: str
    child_id: uuid.UUID
    days_overdue: int
    condition: ReturnCondition
    compensation_fen: int | None


@dataclass(frozen=True, slots=True)
class OnLoan:
    loan_id: uuid.UUID
    title: str
    kind: ItemKind
    barcode: str
    due_date: date
    overdue: bool


@dataclass(frozen=True, slots=True)
class CopyOnFile:
    """A copy as the administrator sees it when recording damage: who has it out, if anyone."""

    barcode: str
    title: str
    price_fen: int | None
    borrower_id: uuid.UUID | None
    borrower_name: str | None


@dataclass(frozen=True, slots=True)
class Lendable:
    """One line of the picture list: what can be taken now and how many are on the shelf."""

    item_id: uuid.UUID
    title: str
    kind: ItemKind
    available: int


def borrow_copy(uow: UnitOfWork, child_id: uuid.UUID, barcode: str) -> LoanReceipt:
    """A child borrows the copy whose barcode or asset tag was scanned."""
    with uow:
        copy = uow.session.scalar(select(Copy).where(Copy.barcode == barcode.strip()))
        if copy is None:
            raise NotInCatalogue(barcode=barcode.strip())
        receipt = _lend(uow, child_id, copy)
        uow.commit()
        return receipt


def borrow_item(uow: UnitOfWork, child_id: uuid.UUID, item_id: uuid.UUID) -> LoanReceipt:
    """A child picks "象棋" from the picture list; any copy on the shelf will do."""
    with uow:
        item = uow.session.get(CatalogueItem, item_id)
        if item is None or not item.active:
            raise UnknownItem()
        on_loan = copies_on_loan()
        copy = uow.session.scalar(
            select(Copy)
            .where(Copy.item_id == item_id, Copy.status == CopyStatus.IN_SERVICE, Copy.id.not_in(on_loan))
            .order_by(Copy.barcode)
            .limit(1)
        )
        if copy is None:
            raise NoCopyAvailable(title=item.title)
        receipt = _lend(uow, child_id, copy)
        uow.commit()
        return receipt


def return_copy(
    uow: UnitOfWork,
    barcode: str,
    condition: ReturnCondition = ReturnCondition.OK,
    *,
    child_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> ReturnReceipt:
    """Anyone may bring an item back in good order (a friend often does); the loan is found by the
    barcode. Damaged or lost is charged to the borrower (照价赔偿), so only the borrower — the child who
    tapped their own card, `child_id` — or an administrator, `staff_id`, may say so: otherwise any
    child could type another's barcode on the keypad and have the compensation charged to them."""
    with uow:
        session = uow.session
        copy = session.scalar(select(Copy).where(Copy.barcode == barcode.strip()))
        if copy is None:
            raise NotInCatalogue(barcode=barcode.strip())
        loan = session.scalar(select(Loan).where(Loan.copy_id == copy.id, Loan.is_open))
        if loan is None:
            raise NotOnLoan(barcode=copy.barcode, title=copy.item.title)
        if condition is not ReturnCondition.OK:
            if staff_id is not None:
                require_staff(session, staff_id)
            elif child_id != loan.child_id:
                raise NotTheBorrower()
        now = uow.clock.now()
        compensation = copy.item.price_fen if condition is not ReturnCondition.OK else None
        loan.returned_at = now
        loan.return_condition = condition
        loan.compensation_fen = compensation
        if condition is not ReturnCondition.OK:
            copy.status = COPY_STATUS[condition]
        uow.record(loan.returned_event())
        if condition is not ReturnCondition.OK:
            open_damage(uow, copy, loan.child_id, condition, loan_id=loan.id, staff_id=staff_id)
        zone = uow.settings.zone
        days_overdue = max(0, (local_date(now, zone) - local_date(loan.due_at, zone)).days)
        uow.commit()
        return ReturnReceipt(
            loan.id, copy.item.title, copy.barcode, loan.child_id, days_overdue, condition, compensation
        )


def return_by_child(
    uow: UnitOfWork, barcode: str, condition: ReturnCondition, child_id: uuid.UUID
) -> ChildReturn:
    """The child who tapped her card brings something back (hers, or a friend's in good order). The
    damage record with its amount is written as for any return (`return_copy`); she is told only what
    her screen may say."""
    receipt = return_copy(uow, barcode, condition, child_id=child_id)
    good = condition is ReturnCondition.OK
    return ChildReturn(receipt.title, receipt.barcode, good, not good, receipt.days_overdue)


def copy_on_file(uow: UnitOfWork, barcode: str) -> CopyOnFile:
    with uow.read() as session:
        copy = session.scalar(select(Copy).where(Copy.barcode == barcode.strip()))
        if copy is None:
            raise NotInCatalogue(barcode=barcode.strip())
        borrower = session.execute(
            select(Child.id, Child.name)
            .join(Loan, Loan.child_id == Child.id)
            .where(Loan.copy_id == copy.id, Loan.is_open)
        ).first()
        return CopyOnFile(
            copy.barcode,
            copy.item.title,
            copy.item.price_fen,
            borrower[0] if borrower else None,
            borrower[1] if borrower else None,
        )


def loans_of(uow: UnitOfWork, child_id: uuid.UUID) -> list[OnLoan]:
    """What this child has out now, soonest due first (for the child's own screen)."""
    with uow.read() as session:
        now = uow.clock.now()
        zone = load_settings(session).zone
        rows = session.execute(
            select(Loan, Copy, CatalogueItem)
            .join(Copy, Loan.copy_id == Copy.id)
            .join(CatalogueItem, Copy.item_id == CatalogueItem.id)
            .where(Loan.child_id == child_id, Loan.is_open)
            .order_by(Loan.due_at)
        ).all()
        return [
            OnLoan(
                loan.id, item.title, item.kind, copy.barcode, local_date(loan.due_at, zone), loan.due_at < now
            )
            for loan, copy, item in rows
        ]


def lendable_items(uow: UnitOfWork, kinds: tuple[ItemKind, ...]) -> list[Lendable]:
    """Items of these kinds with at least one copy on the shelf, for the picture list."""
    with uow.read() as session:
        on_loan = copies_on_loan()
        rows = session.execute(
            select(CatalogueItem.id, CatalogueItem.title, CatalogueItem.kind, func.count(Copy.id))
            .join(Copy, Copy.item_id == CatalogueItem.id)
            .where(
                CatalogueItem.kind.in_(kinds),
                CatalogueItem.active.is_(True),
                Copy.status == CopyStatus.IN_SERVICE,
                Copy.id.not_in(on_loan),
            )
            .group_by(CatalogueItem.id, CatalogueItem.title, CatalogueItem.kind)
            .order_by(CatalogueItem.kind, CatalogueItem.title)
        ).all()
        return [Lendable(item_id, title, kind, count) for item_id, title, kind, count in rows]


def _lend(uow: UnitOfWork, child_id: uuid.UUID, copy: Copy) -> LoanReceipt:
    session = uow.session
    settings = uow.settings
    require_child(session, child_id)
    item = copy.item
    if not item.active or copy.status is not CopyStatus.IN_SERVICE:
        raise CopyNotLendable(title=item.title, status=copy.status.value)
    if is_on_loan(session, copy.id):
        raise AlreadyOnLoan(title=item.title)
    now = uow.clock.now()
    open_loans = select(Loan).where(Loan.child_id == child_id, Loan.is_open).subquery()
    if settings.borrow_blocked_when_overdue:
        overdue = session.scalar(
            select(func.count()).select_from(open_loans).where(open_loans.c.due_at < now)
        )
        if overdue:
            raise HasOverdueLoans(count=overdue)
    same_kind = session.scalar(
        select(func.count())
        .select_from(open_loans)
        .join(Copy, Copy.id == open_loans.c.copy_id)
        .join(CatalogueItem, CatalogueItem.id == Copy.item_id)
        .where(CatalogueItem.kind == item.kind)
    )
    limit = settings.max_open_loans[item.kind]
    if (same_kind or 0) >= limit:
        raise LoanLimitReached(kind=item.kind.value, limit=limit)
    zone = settings.zone
    due_date = local_date(now, zone) + timedelta(days=settings.loan_days[item.kind])
    loan = Loan(
        id=time_ordered_id(),
        copy_id=copy.id,
        child_id=child_id,
        borrowed_at=now,
        due_at=end_of_local_day(due_date, zone),
    )
    session.add(loan)
    uow.record(loan.borrowed_event())
    return LoanReceipt(loan.id, item.title, item.kind, copy.barcode, loan.due_at, due_date)
