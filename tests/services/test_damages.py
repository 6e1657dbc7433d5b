"""损坏公物照价赔偿: item, value, child, amount agreed, paid or waived — from a return marked damaged or
lost, or entered by the administrator; only the borrower or an administrator may say "damaged"."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from db.enums import CopyStatus, DamageSettlement, ReturnCondition
from db.models import CatalogueItem, Copy, Damage
from kiosk.services import damages, loans
from kiosk.services.errors import (
    AmountNotAgreed,
    DamageAlreadySettled,
    InvalidAmount,
    NotTheBorrower,
    ReturnItFirst,
    UnknownDamage,
    UnknownStaff,
)
from tests.conftest import Room


def price_of(room: Room, barcode: str) -> int | None:
    with room.uow.read() as session:
        return session.scalar(
            select(CatalogueItem.price_fen)
            .join(Copy, Copy.item_id == CatalogueItem.id)
            .where(Copy.barcode == barcode)
        )


def lent(room: Room, kind: str = "book", n: int = 0) -> str:
    [barcode] = room.barcodes(kind)
    loans.borrow_copy(room.uow, room.child(n), barcode)
    return barcode


def test_the_borrower_returns_it_damaged_and_a_record_asks_the_price(room: Room) -> None:
    barcode = lent(room)
    loans.return_copy(room.uow, barcode, ReturnCondition.DAMAGED, child_id=room.child(0))
    [line] = damages.damage_list(room.uow)
    price = price_of(room, barcode)
    assert price and (line.barcode, line.condition, line.value_fen, line.amount_fen) == (
        barcode,
        ReturnCondition.DAMAGED,
        price,
        price,
    )
    assert line.settlement is None and line.from_loan
    assert [e.type for e in room.events()][-2:] == ["loan.returned", "damage.recorded"]
    [event] = room.events("damage.recorded")
    assert event.payload["child_id"] == str(room.child(0)) and event.payload["staff_id"] is None


def test_a_return_as_lost_by_another_child_is_refused(room: Room) -> None:
    barcode = lent(room, n=0)
    before = room.state()
    with pytest.raises(NotTheBorrower):
        loans.return_copy(room.uow, barcode, ReturnCondition.LOST, child_id=room.child(1))
    with pytest.raises(NotTheBorrower):  # nobody said who they are: the keypad alone is not enough
        loans.return_copy(room.uow, barcode, ReturnCondition.DAMAGED)
    assert room.state() == before
    receipt = loans.return_copy(room.uow, barcode, child_id=room.child(1))  # in good order: anyone
    assert receipt.child_id == room.child(0) and damages.damage_list(room.uow) == []


def test_the_administrator_returns_it_lost_for_the_borrower(room: Room) -> None:
    barcode = lent(room, "sports", n=2)
    loans.return_copy(room.uow, barcode, ReturnCondition.LOST, staff_id=room.staff())
    with room.uow.read() as session:
        damage = session.scalar(select(Damage))
        assert damage is not None and damage.child_id == room.child(2) and damage.recorded_by == room.staff()
    with pytest.raises(UnknownStaff):
        loans.return_copy(room.uow, lent(room, n=3), ReturnCondition.LOST, staff_id=uuid.uuid4())


def test_an_amount_is_agreed_then_paid_once(room: Room) -> None:
    barcode = lent(room)
    loans.return_copy(room.uow, barcode, ReturnCondition.DAMAGED, child_id=room.child(0))
    [line] = damages.damage_list(room.uow)
    damages.agree_amount(room.uow, room.staff(), line.damage_id, 500)
    damages.settle(room.uow, room.staff(), line.damage_id, DamageSettlement.PAID)
    [line] = damages.damage_list(room.uow)
    assert (line.amount_fen, line.settlement, line.settled_at) == (
        500,
        DamageSettlement.PAID,
        room.clock.now(),
    )
    assert damages.damage_list(room.uow, open_only=True) == []
    [settled] = room.events("damage.settled")
    assert settled.payload["settlement"] == "paid" and settled.payload["amount_fen"] == 500
    before = room.state()
    with pytest.raises(DamageAlreadySettled):
        damages.settle(room.uow, room.staff(), line.damage_id, DamageSettlement.WAIVED)
    with pytest.raises(DamageAlreadySettled):
        damages.agree_amount(room.uow, room.staff(), line.damage_id, 100)
    assert room.state() == before


def test_waived_means_nothing_paid(room: Room) -> None:
    loans.return_copy(room.uow, lent(room), ReturnCondition.LOST, child_id=room.child(0))
    [line] = damages.damage_list(room.uow)
    damages.settle(room.uow, room.staff(), line.damage_id, DamageSettlement.WAIVED)
    [settled] = room.events("damage.settled")
    assert settled.payload["amount_fen"] == 0


@pytest.mark.parametrize("amount", [-1, -500, 2**31])
def test_a_damage_amount_below_zero_or_beyond_the_columns_is_refused(room: Room, amount: int) -> None:
    loans.return_copy(room.uow, lent(room), ReturnCondition.DAMAGED, child_id=room.child(0))
    [line] = damages.damage_list(room.uow)
    [spare] = room.barcodes("chess")
    before = room.state()
    with pytest.raises(InvalidAmount):
        damages.agree_amount(room.uow, room.staff(), line.damage_id, amount)
    with pytest.raises(InvalidAmount):
        damages.record_damage(room.uow, room.staff(), spare, room.child(1), ReturnCondition.DAMAGED, amount)
    assert room.state() == before


def test_the_administrator_enters_damage_done_in_the_room(room: Room) -> None:
    [chess] = room.barcodes("chess")
    damage_id = damages.record_damage(
        room.uow, room.staff(), chess, room.child(4), ReturnCondition.DAMAGED, 800
    )
    [line] = damages.damage_list(room.uow)
    assert (line.damage_id, line.amount_fen, line.from_loan) == (damage_id, 800, False)
    with room.uow.read() as session:
        assert session.scalar(select(Copy.status).where(Copy.barcode == chess)) is CopyStatus.DAMAGED
    assert [e.type for e in room.events()] == [
        "copy.status_changed",
        "damage.recorded",
        "damage.amount_agreed",
    ]


def test_a_copy_out_on_loan_is_recorded_by_returning_it(room: Room) -> None:
    barcode = lent(room)
    before = room.state()
    with pytest.raises(ReturnItFirst):
        damages.record_damage(room.uow, room.staff(), barcode, room.child(0), ReturnCondition.LOST)
    with pytest.raises(UnknownDamage):
        damages.settle(room.uow, room.staff(), uuid.uuid4(), DamageSettlement.PAID)
    assert room.state() == before


def test_paid_needs_an_amount_when_the_item_has_no_price(room: Room) -> None:
    [chess] = room.barcodes("chess")
    with room.uow:
        copy = room.uow.session.scalar(select(Copy).where(Copy.barcode == chess))
        assert copy is not None
        copy.item.price_fen = None
        room.uow.commit()
    damage_id = damages.record_damage(room.uow, room.staff(), chess, room.child(0), ReturnCondition.LOST)
    with pytest.raises(AmountNotAgreed):
        damages.settle(room.uow, room.staff(), damage_id, DamageSettlement.PAID)
    damages.agree_amount(room.uow, room.staff(), damage_id, 1200)
    damages.settle(room.uow, room.staff(), damage_id, DamageSettlement.PAID)
