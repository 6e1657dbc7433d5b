"""损坏公物照价赔偿: what was damaged or lost, by whom, what it is worth, the amount agreed, and whether it
was paid or waived.

A record is made when a loan comes back damaged or lost (kiosk.services.loans.return_copy, in the
same transaction), or by the administrator for something broken in the room. The amount asked starts
at the item's price (照价) and the administrator may agree another with the family; settling it as
paid or waived is the end of it. Amounts are whole fen, never below zero.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.enums import CopyStatus, DamageSettlement, ReturnCondition
from db.events import CopyStatusChanged
from db.ids import time_ordered_id
from db.limits import INT32_MAX
from db.models import CatalogueItem, Child, Copy, Damage
from kiosk.services.errors import (
    AmountNotAgreed,
    DamageAlreadySettled,
    InvalidAmount,
    NotInCatalogue,
    ReturnItFirst,
    UnknownDamage,
)
from kiosk.services.lookups import is_on_loan, require_child, require_staff
from kiosk.services.uow import UnitOfWork

COPY_STATUS = {ReturnCondition.DAMAGED: CopyStatus.DAMAGED, ReturnCondition.LOST: CopyStatus.LOST}


@dataclass(frozen=True, slots=True)
class DamageLine:
    damage_id: uuid.UUID
    recorded_at: datetime
    child_name: str
    class_name: str
    title: str
    barcode: str
    condition: ReturnCondition
    value_fen: int | None
    amount_fen: int | None
    settlement: DamageSettlement | None
    settled_at: datetime | None
    from_loan: bool


def open_damage(
    uow: UnitOfWork,
    copy: Copy,
    child_id: uuid.UUID,
    condition: ReturnCondition,
    *,
    loan_id: uuid.UUID | None,
    staff_id: uuid.UUID | None,
) -> Damage:
    """Within the caller's transaction: the record, asking the item's price until an amount is agreed."""
    if condition not in COPY_STATUS:
        raise ValueError("a damage record is for a damaged or lost thing")
    price = copy.item.price_fen
    damage = Damage(
        id=time_ordered_id(),
        copy_id=copy.id,
        child_id=child_id,
        loan_id=loan_id,
        condition=condition,
        value_fen=price,
        amount_fen=price,
        recorded_at=uow.clock.now(),
        recorded_by=staff_id,
    )
    uow.session.add(damage)
    uow.record(damage.recorded_event())
    return damage


def record_damage(
    uow: UnitOfWork,
    staff_id: uuid.UUID,
    barcode: str,
    child_id: uuid.UUID,
    condition: ReturnCondition,
    amount_fen: int | None = None,
) -> uuid.UUID:
    """Entered by the administrator: a thing broken or lost in the room (not out on loan: a loan is
    recorded by returning it as damaged or lost, which closes the loan too)."""
    _check_amount(amount_fen)
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        require_child(session, child_id)
        copy = session.scalar(select(Copy).where(Copy.barcode == barcode.strip()))
        if copy is None:
            raise NotInCatalogue(barcode=barcode.strip())
        if is_on_loan(session, copy.id):
            raise ReturnItFirst(title=copy.item.title)
        copy.status = COPY_STATUS[condition]
        uow.record(CopyStatusChanged(copy_id=copy.id, status=copy.status, changed_by=staff_id))
        damage = open_damage(uow, copy, child_id, condition, loan_id=None, staff_id=staff_id)
        if amount_fen is not None and amount_fen != damage.amount_fen:
            damage.amount_fen = amount_fen
            uow.record(damage.agreed_event(staff_id))
        uow.commit()
        return damage.id


def agree_amount(uow: UnitOfWork, staff_id: uuid.UUID, damage_id: uuid.UUID, amount_fen: int) -> None:
    """The amount agreed with the family (often less than the price for an old book)."""
    _check_amount(amount_fen)
    with uow:
        require_staff(uow.session, staff_id)
        damage = _unsettled(uow, damage_id)
        damage.amount_fen = amount_fen
        uow.record(damage.agreed_event(staff_id))
        uow.commit()


def settle(uow: UnitOfWork, staff_id: uuid.UUID, damage_id: uuid.UUID, settlement: DamageSettlement) -> None:
    """Paid (the amount agreed; there must be one) or waived. Once: a settled record stays as it is."""
    with uow:
        require_staff(uow.session, staff_id)
        damage = _unsettled(uow, damage_id)
        if settlement is DamageSettlement.PAID and damage.amount_fen is None:
            raise AmountNotAgreed()
        damage.settlement = settlement
        damage.settled_at = uow.clock.now()
        damage.settled_by = staff_id
        uow.record(damage.settled_event())
        uow.commit()


def damage_list(uow: UnitOfWork, *, open_only: bool = False, limit: int = 200) -> list[DamageLine]:
    """Newest first; the administrator's page (names, behind the PIN)."""
    with uow.read() as session:
        query = (
            select(Damage, Child.name, Child.class_name, CatalogueItem.title, Copy.barcode)
            .join(Child, Child.id == Damage.child_id)
            .join(Copy, Copy.id == Damage.copy_id)
            .join(CatalogueItem, CatalogueItem.id == Copy.item_id)
            .order_by(Damage.recorded_at.desc())
            .limit(limit)
        )
        if open_only:
            query = query.where(Damage.settlement.is_(None))
        return [
            DamageLine(
                d.id,
                d.recorded_at,
                name,
                class_name,
                title,
                barcode,
                d.condition,
                d.value_fen,
                d.amount_fen,
                d.settlement,
                d.settled_at,
                d.loan_id is not None,
            )
            for d, name, class_name, title, barcode in session.execute(query)
        ]


def _unsettled(uow: UnitOfWork, damage_id: uuid.UUID) -> Damage:
    damage = uow.session.get(Damage, damage_id)
    if damage is None:
        raise UnknownDamage()
    if damage.settlement is not None:
        raise DamageAlreadySettled()
    return damage


def _check_amount(amount_fen: int | None) -> None:
    if amount_fen is not None and not 0 <= amount_fen <= INT32_MAX:
        raise InvalidAmount(yuan=f"{INT32_MAX // 100}")
