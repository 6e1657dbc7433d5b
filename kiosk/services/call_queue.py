"""亲情电话排队: one phone, many children. A fair queue kept on disk, so a restart loses no one's place.

The seeds size it: a school of 183 children calling weekly makes about 37 calls in a one-hour opening.
A child who taps 亲情电话 while the phone is busy (or others are already waiting) takes the next place
and sees it, with a rough wait. When the phone is free, the first waiting child is called on the idle
screen — by number and given name only — and has `queue_turn_minutes` to come and start the call;
after that the turn passes to the next child. Nobody can start a phone call past someone waiting.

Order is the entry's `position`, given in the joining transaction (BEGIN IMMEDIATE), never the wall
clock. The queue moves inside the transactions that change it (a call starts or ends, a child joins,
leaves or signs out, the room closes) and whenever the idle screen asks who is called (`queue_board`),
which is what lets a missed turn pass on, and a call left open past the limit end (the kiosk
restarted mid-call), even when nobody touches the kiosk.

How long a child will wait is an estimate (kiosk.services.queue_wait).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from db.enums import QueueExit
from db.ids import time_ordered_id
from db.models import Child, QueueEntry
from kiosk.services.call_ends import end_expired_calls
from kiosk.services.days import day_bounds, local_date
from kiosk.services.errors import NotYourTurn
from kiosk.services.lookups import require_child
from kiosk.services.names import given_name
from kiosk.services.open_calls import OpenCall, open_call_in
from kiosk.services.queue_wait import open_phone_calls, rough_wait
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class GoAhead:
    """The phone is this child's now: pick who to call. `called`: it is their turn from the queue."""

    called: bool


@dataclass(frozen=True, slots=True)
class Waiting:
    ticket: int  # the number the idle screen will call
    place: int  # 1 = next
    wait_minutes: int  # rough


@dataclass(frozen=True, slots=True)
class OnTheLine:
    """The child is on a call already (her screen went back to 请刷卡 meanwhile): it is hers to go on
    with or end, never a place in the queue for the phone she is holding."""

    call: OpenCall


PhoneAnswer = GoAhead | Waiting | OnTheLine


@dataclass(frozen=True, slots=True)
class CalledChild:
    ticket: int
    given_name: str
    until: datetime  # the turn passes on after this


@dataclass(frozen=True, slots=True)
class QueueBoard:
    """What the public idle screen shows: who is called, and how many wait — no names of those."""

    called: list[CalledChild]
    waiting: int


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One place, for the administrator's list."""

    entry_id: uuid.UUID
    ticket: int
    child_name: str
    class_name: str
    joined_at: datetime
    called_at: datetime | None


# -- actions -------------------------------------------------------------------------------------------


def ask_for_phone(uow: UnitOfWork, child_id: uuid.UUID) -> PhoneAnswer:
    """The child tapped 亲情电话: her own call if one is open, go ahead if the phone is free and nobody is
    waiting, else take a place (or keep the one already held: asking twice never moves a child back)."""
    with uow:
        require_child(uow.session, child_id)
        now = uow.clock.now()
        on_the_line = open_call_in(uow.session, child_id, now)
        if on_the_line is not None:
            return OnTheLine(on_the_line)
        advance(uow, now)
        mine = _place_of(uow, child_id)
        if mine is None:
            if not uow.settings.call_queue or not _busy(uow):
                uow.commit()
                return GoAhead(called=False)
            mine = _join(uow, child_id, now)
        answer = _answer(uow, mine, now)
        uow.commit()
        return answer


def my_place(uow: UnitOfWork, child_id: uuid.UUID) -> PhoneAnswer | None:
    """Where this child stands, for their own screen; None when they hold no place."""
    with uow:
        now = uow.clock.now()
        advance(uow, now)
        mine = _place_of(uow, child_id)
        answer = None if mine is None else _answer(uow, mine, now)
        uow.commit()
        return answer


def leave_queue(uow: UnitOfWork, child_id: uuid.UUID) -> bool:
    """不排了: the child gives their place back; the next child moves up. False if they held none."""
    with uow:
        now = uow.clock.now()
        left = leave(uow, child_id, now, QueueExit.GAVE_UP)
        advance(uow, now)
        uow.commit()
        return left


def queue_board(uow: UnitOfWork) -> QueueBoard:
    """For the idle screen. Moves the queue first, so a turn nobody took passes on by itself."""
    with uow:
        now = uow.clock.now()
        advance(uow, now)
        uow.commit()
        entries = _open_entries(uow)
        names = _names(uow, [e.child_id for e in entries if e.called_at is not None])
        turn = timedelta(minutes=uow.settings.queue_turn_minutes)
        called = [
            CalledChild(e.ticket, given_name(names[e.child_id]), e.called_at + turn)
            for e in entries
            if e.called_at is not None
        ]
        return QueueBoard(called, sum(1 for e in entries if e.called_at is None))


def waiting_list(uow: UnitOfWork) -> list[QueueLine]:
    """Everyone holding a place, in order (administrator's page: names, behind the PIN)."""
    with uow.read() as session:
        rows = session.execute(
            select(QueueEntry, Child.name, Child.class_name)
            .join(Child, Child.id == QueueEntry.child_id)
            .where(QueueEntry.left_at.is_(None))
            .order_by(QueueEntry.position)
        ).all()
        return [QueueLine(e.id, e.ticket, name, cls, e.joined_at, e.called_at) for e, name, cls in rows]


# -- within another service's transaction -------------------------------------------------------------------


def take_turn(uow: UnitOfWork, child_id: uuid.UUID, now: datetime) -> None:
    """Before a phone call starts: the child whose turn it is uses it up; anyone else waits their turn
    while children are queued. Raises NotYourTurn (nothing written by the caller then)."""
    advance(uow, now)
    mine = _place_of(uow, child_id)
    if mine is not None and mine.called_at is not None:
        leave_entry(uow, mine, now, QueueExit.CALLING)
        return
    if _open_entries(uow):
        raise NotYourTurn()


def holds_place(uow: UnitOfWork, child_id: uuid.UUID) -> bool:
    """Whether the child is waiting or called (a card tap then comes back for the turn)."""
    return _place_of(uow, child_id) is not None


def advance(uow: UnitOfWork, now: datetime) -> None:
    """End calls left open past the limit, pass on turns not taken in time, then call waiting children
    while a phone is free."""
    end_expired_calls(uow, now)
    turn = timedelta(minutes=uow.settings.queue_turn_minutes)
    entries = _open_entries(uow)
    for entry in entries:
        if entry.called_at is not None and entry.called_at + turn <= now:
            leave_entry(uow, entry, entry.called_at + turn, QueueExit.MISSED)
    entries = [e for e in entries if e.left_at is None]
    called = sum(1 for e in entries if e.called_at is not None)
    free = uow.settings.phones_in_room - _calls_on_phone(uow) - called
    for entry in [e for e in entries if e.called_at is None][: max(0, free)]:
        entry.called_at = now
        uow.record(entry.called_event())
    uow.session.flush()


def leave(uow: UnitOfWork, child_id: uuid.UUID, now: datetime, exit: QueueExit) -> bool:
    """The child's place ends (signed out, gave up); True if they held one."""
    mine = _place_of(uow, child_id)
    if mine is None:
        return False
    leave_entry(uow, mine, now, exit)
    return True


def close_all(uow: UnitOfWork, now: datetime) -> int:
    """The room closes: every place ends (nobody is left called on tomorrow's idle screen)."""
    entries = _open_entries(uow)
    for entry in entries:
        leave_entry(uow, entry, now, QueueExit.ROOM_CLOSED)
    return len(entries)


# -- helpers -----------------------------------------------------------------------------------------------


def _join(uow: UnitOfWork, child_id: uuid.UUID, now: datetime) -> QueueEntry:
    session = uow.session
    start, end = day_bounds(local_date(now, uow.settings.zone), uow.settings.zone)
    last_ticket = session.scalar(
        select(func.max(QueueEntry.ticket)).where(QueueEntry.joined_at >= start, QueueEntry.joined_at < end)
    )
    last_position = session.scalar(select(func.max(QueueEntry.position)))
    entry = QueueEntry(
        id=time_ordered_id(),
        child_id=child_id,
        position=(last_position or 0) + 1,
        ticket=(last_ticket or 0) + 1,
        joined_at=now,
    )
    session.add(entry)
    uow.record(entry.joined_event())
    session.flush()
    return entry


def leave_entry(
    uow: UnitOfWork, entry: QueueEntry, at: datetime, exit: QueueExit, staff_id: uuid.UUID | None = None
) -> None:
    """Within the caller's transaction: this place ends (`staff_id`: the teacher who ended it)."""
    entry.left_at = at
    entry.exit = exit
    uow.record(entry.left_event(staff_id))
    uow.session.flush()


def _answer(uow: UnitOfWork, mine: QueueEntry, now: datetime) -> PhoneAnswer:
    if mine.called_at is not None:
        return GoAhead(called=True)
    ahead = [e for e in _open_entries(uow) if e.position < mine.position]
    return Waiting(mine.ticket, len(ahead) + 1, rough_wait(uow, ahead, now))


def _busy(uow: UnitOfWork) -> bool:
    """Someone is on every phone, or children are already waiting or called."""
    return bool(_open_entries(uow)) or _calls_on_phone(uow) >= uow.settings.phones_in_room


def _calls_on_phone(uow: UnitOfWork) -> int:
    return len(uow.session.scalars(open_phone_calls()).all())


def _open_entries(uow: UnitOfWork) -> list[QueueEntry]:
    return list(
        uow.session.scalars(
            select(QueueEntry).where(QueueEntry.left_at.is_(None)).order_by(QueueEntry.position)
        )
    )


def _place_of(uow: UnitOfWork, child_id: uuid.UUID) -> QueueEntry | None:
    return uow.session.scalar(
        select(QueueEntry).where(QueueEntry.child_id == child_id, QueueEntry.left_at.is_(None))
    )


def _names(uow: UnitOfWork, child_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not child_ids:
        return {}
    return dict(uow.session.execute(select(Child.id, Child.name).where(Child.id.in_(child_ids))).all())
