"""The generator behind `db.demo_history`: one opening of the room at a time, written as rows and outbox
events with gapless sequence numbers, flushed in bulk."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from db.enums import (
    CallDirection,
    CallEnd,
    CallKind,
    CallReason,
    CardStatus,
    CopyStatus,
    ItemKind,
    ReturnCondition,
    VisitEnd,
)
from db.events import (
    CallEnded,
    CallStarted,
    CopyStatusChanged,
    Event,
    LoanBorrowed,
    LoanReturned,
    RoomClosed,
    RoomOpened,
    VisitSignedIn,
    VisitSignedOut,
)
from db.ids import time_ordered_id
from db.models import (
    Card,
    CatalogueItem,
    Contact,
    Copy,
    DeviceIdentity,
    FamilyCall,
    Loan,
    OutboxEvent,
    RoomSession,
    Staff,
    Visit,
)

ZONE = ZoneInfo("Asia/Shanghai")
SESSION_MINUTES = 70
BOOT_ID = "history-boot"


@dataclass(frozen=True)
class HistoryRates:
    """Per child, per opening of the room."""

    visit: float = 0.6
    call_given_visit: float = 0.22  # about weekly for a child who comes three times a week
    video_share: float = 0.3
    book_given_visit: float = 0.08
    equipment_given_visit: float = 0.3
    damaged: float = 0.01
    lost_book: float = 0.003  # a book taken home is lost now and then
    lost_equipment: float = 0.0002  # equipment stays in the room for the afternoon
    repair_days: int = 14  # a damaged copy is mended (or replaced) and back on the shelf


class HistoryWriter:
    """Writes the rows and outbox events of one room's openings, in bulk, as the services would."""

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        rates: HistoryRates,
        sent_before: datetime | None,
        chunk: int,
    ) -> None:
        self.session = session
        self.rng = rng
        self.rates = rates
        self.sent_before = sent_before
        self.chunk = chunk
        identity = session.get(DeviceIdentity, 1)
        if identity is None:
            raise RuntimeError("open the database with kiosk.services.database_open first")
        self.identity = identity
        self.device_id = identity.device_id
        self.seq = identity.next_seq
        self.staff_ids = list(session.scalars(select(Staff.id)))
        self.callees: dict[uuid.UUID, list[uuid.UUID]] = {}
        for contact in session.scalars(select(Contact).where(Contact.allowed_to_call.is_(True))):
            self.callees.setdefault(contact.child_id, []).append(contact.id)
        # Children sign in with their own cards, so the server finds each card as it would in a room.
        active = select(Card.child_id, Card.uid).where(
            Card.child_id.is_not(None), Card.status == CardStatus.ACTIVE
        )
        self.cards: dict[uuid.UUID, str] = {child: uid for child, uid in session.execute(active)}
        self.children = sorted(c for c in self.callees if c in self.cards)
        rows = session.execute(
            select(Copy.id, CatalogueItem.kind, CatalogueItem.price_fen)
            .join(CatalogueItem)
            .where(Copy.status == CopyStatus.IN_SERVICE)
        ).all()
        self.price = {copy_id: price for copy_id, _, price in rows}
        self.books = [c for c, kind, _ in rows if kind in (ItemKind.BOOK, ItemKind.PERIODICAL)]
        self.equipment = [c for c, kind, _ in rows if kind in (ItemKind.SPORTS, ItemKind.CHESS)]
        self.on_loan: set[uuid.UUID] = set()
        self.book_returns: list[tuple[datetime, dict[str, Any]]] = []  # (return time, loan row)
        self.equipment_set = set(self.equipment)
        self.copy_status: dict[uuid.UUID, CopyStatus] = {}
        self.repairs: list[tuple[datetime, uuid.UUID]] = []  # (back in service at, copy)
        self.pending: dict[type, list[dict[str, Any]]] = {}
        self.events = self.visits = self.calls = self.loans = 0

    # -- one opening of the room -------------------------------------------------------------------
    def one_opening(self, opened: datetime) -> None:
        closed = opened + timedelta(minutes=SESSION_MINUTES)
        staff = self.rng.choice(self.staff_ids)
        self._return_books_due_before(opened)
        self._repair_copies_due_before(opened, staff)
        room = {
            "id": time_ordered_id(),
            "opened_at": opened,
            "opened_by": staff,
            "closed_at": closed,
            "closed_by": staff,
        }
        self._row(RoomSession, room)
        self._event(opened, RoomOpened(session_id=room["id"], staff_id=staff))
        phone_free_at = opened
        for child in self.children:
            if self.rng.random() >= self.rates.visit:
                continue
            arrive = opened + timedelta(minutes=self.rng.randrange(0, 40), seconds=self.rng.randrange(60))
            leave = min(
                closed - timedelta(seconds=30), arrive + timedelta(minutes=self.rng.randrange(10, 60))
            )
            self._visit(child, arrive, leave)
            moment = arrive + timedelta(seconds=30)
            if self.rng.random() < self.rates.call_given_visit and phone_free_at < leave:
                moment = max(moment, phone_free_at)
                phone_free_at = self._call(child, moment)
            if self.rng.random() < self.rates.book_given_visit and self.books:
                self._borrow_book(child, arrive + timedelta(seconds=40))
            if self.rng.random() < self.rates.equipment_given_visit and self.equipment:
                self._borrow_equipment(child, arrive + timedelta(seconds=50), leave - timedelta(seconds=10))
        self._event(closed, RoomClosed(session_id=room["id"], staff_id=staff))
        self._flush_if_big()

    def _visit(self, child: uuid.UUID, arrive: datetime, leave: datetime) -> None:
        visit = {
            "id": time_ordered_id(),
            "child_id": child,
            "signed_in_at": arrive,
            "signed_out_at": leave,
            "end_reason": VisitEnd.SIGNED_OUT,
            "boot_id": BOOT_ID,
            "monotonic_ns": 0,
        }
        self._row(Visit, visit)
        self._event(arrive, VisitSignedIn(visit_id=visit["id"], child_id=child, card_uid=self.cards[child]))
        self._event(
            leave,
            VisitSignedOut(
                visit_id=visit["id"], child_id=child, reason=VisitEnd.SIGNED_OUT, signed_out_at=leave
            ),
        )
        self.visits += 1

    def _call(self, child: uuid.UUID, start: datetime) -> datetime:
        kind = CallKind.VIDEO if self.rng.random() < self.rates.video_share else CallKind.PHONE
        end = start + timedelta(minutes=self.rng.randrange(2, 10), seconds=self.rng.randrange(60))
        call = {
            "id": time_ordered_id(),
            "child_id": child,
            "callee_id": self.rng.choice(self.callees[child]),
            "kind": kind,
            "direction": CallDirection.OUTGOING,
            "reason": self.rng.choice(list(CallReason)),
            "started_at": start,
            "ended_at": end,
            "end_reason": CallEnd.HUNG_UP,
            "logged_by_staff_id": None,
        }
        self._row(FamilyCall, call)
        self._event(
            start,
            CallStarted(
                call_id=call["id"],
                child_id=child,
                callee_id=call["callee_id"],
                kind=kind,
                direction=CallDirection.OUTGOING,
                reason=call["reason"],
            ),
        )
        self._event(end, CallEnded(call_id=call["id"], ended_at=end, reason=CallEnd.HUNG_UP))
        self.calls += 1
        return end

    def _borrow_book(self, child: uuid.UUID, at: datetime) -> None:
        copy = self._free_copy(self.books)
        if copy is None:
            return
        due = at + timedelta(days=14)
        back = at + timedelta(days=self.rng.choice((3, 5, 7, 10, 13, 14, 16, 21)), minutes=5)
        loan = self._lend(child, copy, at, due)
        self.book_returns.append((back, loan))

    def _borrow_equipment(self, child: uuid.UUID, at: datetime, back: datetime) -> None:
        copy = self._free_copy(self.equipment)
        if copy is None:
            return
        loan = self._lend(child, copy, at, at.astimezone(ZONE).replace(hour=23, minute=59).astimezone(UTC))
        self._give_back(loan, back)

    def _free_copy(self, pool: list[uuid.UUID]) -> uuid.UUID | None:
        for _ in range(8):
            copy = self.rng.choice(pool)
            if (
                copy not in self.on_loan
                and self.copy_status.get(copy, CopyStatus.IN_SERVICE) is CopyStatus.IN_SERVICE
            ):
                return copy
        return None

    def _lend(self, child: uuid.UUID, copy: uuid.UUID, at: datetime, due: datetime) -> dict[str, Any]:
        loan = {
            "id": time_ordered_id(),
            "copy_id": copy,
            "child_id": child,
            "borrowed_at": at,
            "due_at": due,
            "returned_at": None,
            "return_condition": None,
            "compensation_fen": None,
        }
        self.on_loan.add(copy)
        self._event(at, LoanBorrowed(loan_id=loan["id"], copy_id=copy, child_id=child, due_at=due))
        self.loans += 1
        return loan

    def _give_back(self, loan: dict[str, Any], at: datetime) -> None:
        roll = self.rng.random()
        lost = self.rates.lost_equipment if loan["copy_id"] in self.equipment_set else self.rates.lost_book
        condition = (
            ReturnCondition.LOST
            if roll < lost
            else ReturnCondition.DAMAGED
            if roll < lost + self.rates.damaged
            else ReturnCondition.OK
        )
        compensation = self.price[loan["copy_id"]] if condition is not ReturnCondition.OK else None
        loan.update(returned_at=at, return_condition=condition, compensation_fen=compensation)
        self._row(Loan, loan)
        self.on_loan.discard(loan["copy_id"])
        if condition is ReturnCondition.LOST:
            self.copy_status[loan["copy_id"]] = CopyStatus.LOST
        elif condition is ReturnCondition.DAMAGED:
            self.copy_status[loan["copy_id"]] = CopyStatus.DAMAGED
            self.repairs.append((at + timedelta(days=self.rates.repair_days), loan["copy_id"]))
        self._event(
            at,
            LoanReturned(
                loan_id=loan["id"],
                copy_id=loan["copy_id"],
                condition=condition,
                compensation_fen=compensation,
            ),
        )

    def _return_books_due_before(self, moment: datetime) -> None:
        still_out = []
        for back, loan in self.book_returns:
            if back <= moment:
                self._give_back(loan, back)
            else:
                still_out.append((back, loan))
        self.book_returns = still_out

    def _repair_copies_due_before(self, moment: datetime, staff: uuid.UUID) -> None:
        waiting = []
        for ready, copy in self.repairs:
            if ready <= moment:
                self.copy_status[copy] = CopyStatus.IN_SERVICE
                self._event(
                    moment, CopyStatusChanged(copy_id=copy, status=CopyStatus.IN_SERVICE, changed_by=staff)
                )
            else:
                waiting.append((ready, copy))
        self.repairs = waiting

    # -- writing ---------------------------------------------------------------------------------
    def _event(self, at: datetime, event: Event) -> None:
        sent = self.sent_before is not None and at < self.sent_before
        self._row(
            OutboxEvent,
            {
                "id": time_ordered_id(),
                "device_id": self.device_id,
                "seq": self.seq,
                "type": event.type,
                "payload": event.model_dump(mode="json"),
                "occurred_at": at,
                "boot_id": BOOT_ID,
                "monotonic_ns": 0,
                "sent_at": at + timedelta(hours=1) if sent else None,
            },
        )
        self.seq += 1
        self.events += 1

    def _row(self, model: type, values: dict[str, Any]) -> None:
        self.pending.setdefault(model, []).append(values)

    def _flush_if_big(self) -> None:
        if sum(len(rows) for rows in self.pending.values()) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        for model in (RoomSession, Visit, FamilyCall, Loan, OutboxEvent):
            rows = self.pending.pop(model, [])
            if rows:  # Core executemany: no ORM bookkeeping for rows nobody will touch as objects
                self.session.connection().execute(insert(model.__table__), rows)

    def finish(self) -> None:
        for _, loan in self.book_returns:  # still out today: open loans
            self._row(Loan, loan)
        self._flush()
        for copy_id, status in self.copy_status.items():
            self.session.get(Copy, copy_id).status = status
        self.identity.next_seq = self.seq
        self.session.flush()

    def mark_sent_all_but_newest(self, pending: int) -> None:
        sent = OutboxEvent.__table__
        self.session.execute(
            update(sent)
            .where(sent.c.seq < self.seq - pending, sent.c.sent_at.is_(None))
            .values(sent_at=sent.c.occurred_at)
        )
