"""Weeks of a room's afternoons, made through the kiosk's own services (the path a child's tap takes),
for the report tests: the room opens, children sign in, log calls before making them, parents ring the
hotline, letters are recorded, books go out and come back (now and then late, damaged or lost, the
compensation agreed and paid or waived), the TV shows the news to whoever joins, children queue for
the busy phone, an emergency is handled (on time, and once late), the room closes — some days after
less than the hour the rules ask — and a stocktake at the end."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from db.enums import (
    CallEnd,
    CallKind,
    CallReason,
    DamageSettlement,
    LetterDirection,
    NotifyParty,
    ReturnCondition,
    ShowingMedium,
)
from kiosk.services import (
    call_queue,
    calls,
    damages,
    incidents,
    letters,
    loans,
    room,
    showings,
    signin,
    signout,
    stocktake,
)
from kiosk.services.errors import Refusal
from tests.sync.conftest import Kiosk

ZONE = ZoneInfo("Asia/Shanghai")
OPENS = time(15, 40)  # after class


@dataclass
class Afternoons:
    days: int = 12
    children: int = 40  # how many of the kiosk's children come at all
    seed: int = 11
    short_days: tuple[int, ...] = (2, 7)  # days the room closes after 40 minutes
    loans_open: list[str] = field(default_factory=list)  # filled in: what is still out at the end
    short_held: list[date] = field(default_factory=list)  # filled in: the short days that fell on weekdays
    settled: int = 0  # damage records dealt with so far (paid, waived, left open in turn)
    left_open: set[uuid.UUID] = field(default_factory=set)


def live_until_now(kiosk: Kiosk, plan: Afternoons) -> None:
    """The afternoons of the last weeks, ending before today, and the kiosk's clock brought to the
    real now before it syncs: the server then dates every event as it happened (its corrected time
    equals the kiosk's wall time), so a report's days are the room's days."""
    first_day = datetime.now(ZONE).date() - timedelta(days=plan.days + 3)
    kiosk.clock.set_wall(datetime.combine(first_day - timedelta(days=1), time(12), ZONE).astimezone(UTC))
    live(kiosk, plan, first_day)
    kiosk.clock.advance(datetime.now(UTC) - kiosk.clock.now())


def live(kiosk: Kiosk, plan: Afternoons, first_day: date) -> None:
    rng = random.Random(plan.seed)
    kiosk_room = kiosk.room
    staff = kiosk_room.staff(0)
    books = kiosk_room.barcodes("book", 60)
    shelf = list(books)
    out: dict[str, int] = {}  # barcode -> child number
    held = 0  # full afternoons so far: the registers' scenes happen on the first ones, whatever the weekday
    for day in range(plan.days):
        today = first_day + timedelta(days=day)
        if today.isoweekday() in (6, 7):
            continue
        kiosk.clock.advance(datetime.combine(today, OPENS, ZONE) - kiosk.clock.now())
        room.open_room(kiosk.uow, staff)
        opened = kiosk.clock.now()
        kiosk.clock.advance(minutes=1)
        present = sorted(rng.sample(range(plan.children), rng.randrange(8, 16)))
        for n in present:
            signin.tap_card(kiosk.uow, kiosk_room.card_of(n))
            kiosk.clock.advance(seconds=30)
        if day in plan.short_days:  # the duty teacher had to leave: a quiet 40 minutes
            plan.short_held.append(today)
            kiosk.clock.advance(opened + timedelta(minutes=35) - kiosk.clock.now())
            for n in present:
                signin.tap_card(kiosk.uow, kiosk_room.card_of(n))
            kiosk.clock.advance(opened + timedelta(minutes=40) - kiosk.clock.now())
            room.close_room(kiosk.uow, staff)
            continue
        for n in present:
            if rng.random() < 0.35:
                _call(kiosk, n, rng)
            if rng.random() < 0.3 and shelf:
                barcode = shelf.pop(rng.randrange(len(shelf)))
                try:
                    loans.borrow_copy(kiosk.uow, kiosk_room.child(n), barcode)
                    out[barcode] = n
                except Refusal:
                    shelf.append(barcode)
            kiosk.clock.advance(minutes=1)
        for barcode, n in list(out.items()):
            if n in present and rng.random() < 0.5:
                condition = rng.choices(
                    [ReturnCondition.OK, ReturnCondition.DAMAGED, ReturnCondition.LOST], [8, 1, 1]
                )[0]
                loans.return_copy(kiosk.uow, barcode, condition, child_id=kiosk_room.child(n))
                del out[barcode]
                if condition is ReturnCondition.OK:
                    shelf.append(barcode)
        held += 1
        if held == 4:
            [lost] = kiosk_room.barcodes("sports", 1)
            damages.record_damage(kiosk.uow, staff, lost, kiosk_room.child(present[2]), ReturnCondition.LOST)
        _settle_damages(kiosk, staff, plan)
        if held in (1, 3, 4):
            _showing(kiosk, staff, present, rng)
        if held == 2:
            _busy_phone(kiosk, present)
            [chess] = kiosk_room.barcodes("chess", 1)
            damages.record_damage(
                kiosk.uow, staff, chess, kiosk_room.child(present[1]), ReturnCondition.DAMAGED, 1500
            )
        if held == 3:  # a ball burst in the room: with the two above, at least three records, so the
            # paid / waived / left-open turns each happen whatever the random returns bring
            ball = kiosk_room.barcodes("sports", 2)[1]
            damages.record_damage(
                kiosk.uow, staff, ball, kiosk_room.child(present[0]), ReturnCondition.DAMAGED, 800
            )
        if held in (1, 3):
            _emergency(kiosk, staff, present[0], prompt=held == 1)
        if rng.random() < 0.5:
            n = rng.choice(present)
            callee = kiosk_room.callees(n)[0].id
            now = kiosk.clock.now()
            calls.log_incoming_call(
                kiosk.uow, kiosk_room.child(n), callee, 6, ended_at=now - timedelta(minutes=3), staff_id=staff
            )
        if day % 3 == 0:
            n = rng.choice(present)
            callee = kiosk_room.callees(n)[0].id
            letters.record_letter(
                kiosk.uow, kiosk_room.child(n), callee, LetterDirection.SENT, staff_id=staff
            )
        kiosk.clock.advance(minutes=60)
        for n in present:
            # 签退: a second tap only asks 要签退吗？; her 是 (or the 签退 button) signs her out
            assert isinstance(signin.tap_card(kiosk.uow, kiosk_room.card_of(n)), signin.AskSignOut)
            signout.sign_out(kiosk.uow, kiosk_room.child(n))
            kiosk.clock.advance(seconds=20)
        room.close_room(kiosk.uow, staff)
    _stocktake(kiosk, staff, shelf[:10])  # the last evening, after the room closed
    plan.loans_open.extend(out)


def _settle_damages(kiosk: Kiosk, staff: object, plan: Afternoons) -> None:
    """The family comes in: half the price agreed and paid, or waived, or left open — in turn, so a
    few records show every way it goes."""
    for line in reversed(damages.damage_list(kiosk.uow, open_only=True)):
        if line.damage_id in plan.left_open:
            continue
        choice = ("paid", "waived", "open")[plan.settled % 3]
        plan.settled += 1
        if choice == "open":
            plan.left_open.add(line.damage_id)
        elif choice == "paid":
            damages.agree_amount(kiosk.uow, staff, line.damage_id, (line.value_fen or 1000) // 2)
            damages.settle(kiosk.uow, staff, line.damage_id, DamageSettlement.PAID)
        elif choice == "waived":
            damages.settle(kiosk.uow, staff, line.damage_id, DamageSettlement.WAIVED)


def _showing(kiosk: Kiosk, staff: object, present: list[int], rng: random.Random) -> None:
    showing = showings.open_showing(
        kiosk.uow, staff, rng.choice(list(ShowingMedium)), rng.choice(["新闻联播", "动画片", "科普片"])
    )
    for n in rng.sample(present, rng.randrange(3, min(7, len(present)))):
        showings.join_showing(kiosk.uow, kiosk.room.child(n), showing)
        kiosk.clock.advance(seconds=15)
    kiosk.clock.advance(minutes=30)
    showings.close_showing(kiosk.uow, staff)


def _busy_phone(kiosk: Kiosk, present: list[int]) -> None:
    """Three children want the phone at once: the second and third queue, the second's turn comes."""
    first, second, third = present[:3]
    on_phone = calls.start_family_call(
        kiosk.uow, kiosk.room.child(first), _allowed(kiosk, first), CallKind.PHONE
    )
    for n in (second, third):
        call_queue.ask_for_phone(kiosk.uow, kiosk.room.child(n))
    kiosk.clock.advance(minutes=5)
    calls.end_family_call(kiosk.uow, on_phone.call_id)
    turn = calls.start_family_call(
        kiosk.uow, kiosk.room.child(second), _allowed(kiosk, second), CallKind.PHONE
    )
    kiosk.clock.advance(minutes=4)
    calls.end_family_call(kiosk.uow, turn.call_id)
    call_queue.leave_queue(kiosk.uow, kiosk.room.child(third))


def _allowed(kiosk: Kiosk, n: int) -> uuid.UUID:
    return next(c.id for c in kiosk.room.callees(n) if c.allowed_to_call)


def _emergency(kiosk: Kiosk, staff: object, n: int, prompt: bool) -> None:
    """A child falls in the yard. Promptly: everyone told in time. Otherwise the guardian is told late
    and the bureau not at all."""
    incident = incidents.open_incident(kiosk.uow, staff, kiosk.room.child(n))
    for party, minutes in ((NotifyParty.SCHOOL_LEADERS, 10), (NotifyParty.GUARDIAN, 5 if prompt else 30)):
        kiosk.clock.advance(minutes=minutes)
        incidents.mark_notified(kiosk.uow, staff, incident.incident_id, party)
    kiosk.clock.advance(minutes=10)
    incidents.mark_notified(kiosk.uow, staff, incident.incident_id, NotifyParty.PARENTS)
    if prompt:
        incidents.mark_notified(kiosk.uow, staff, incident.incident_id, NotifyParty.BUREAU)


def _call(kiosk: Kiosk, n: int, rng: random.Random) -> None:
    callees = [c for c in kiosk.room.callees(n) if c.allowed_to_call]
    if not callees:
        return
    call = calls.start_family_call(
        kiosk.uow,
        kiosk.room.child(n),
        rng.choice(callees).id,
        rng.choice([CallKind.PHONE, CallKind.PHONE, CallKind.VIDEO]),
        rng.choice(list(CallReason)),
    )
    kiosk.clock.advance(minutes=rng.randrange(2, 9))
    calls.end_family_call(kiosk.uow, call.call_id, CallEnd.HUNG_UP)


def _stocktake(kiosk: Kiosk, staff: object, on_shelf: list[str]) -> None:
    kiosk.clock.advance(timedelta(hours=1))
    taking = stocktake.start_stocktake(kiosk.uow, staff)
    for barcode in on_shelf:
        stocktake.record_scan(kiosk.uow, taking, barcode)
    stocktake.record_scan(kiosk.uow, taking, "TS999999")  # a label that is not in the register
    stocktake.finish_stocktake(kiosk.uow, taking, staff)
