"""The duty teacher's hand on the phone queue (管理员 → 电话排队): the queue is fair by itself, but a room
has days it is not enough — the child called does not come and the others wait, a little one must
catch the bus, a child went home without giving up her place. Each change is one transaction with its
event, naming the teacher, so the office sees who changed the order and why a child left it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.enums import QueueExit
from db.models import QueueEntry
from kiosk.services import call_queue
from kiosk.services.call_queue import QueueBoard
from kiosk.services.errors import NobodyWaiting, PhoneInUse, UnknownPlace
from kiosk.services.lookups import require_staff
from kiosk.services.uow import UnitOfWork


def call_next(uow: UnitOfWork, staff_id: uuid.UUID) -> QueueBoard:
    """The child called has not come: her turn passes now (as if her time had run out) and the next
    child waiting is called. Refused while every phone is in use (end that call first) or nobody
    waits."""
    with uow:
        require_staff(uow.session, staff_id)
        now = uow.clock.now()
        call_queue.advance(uow, now)
        entries = _open_entries(uow)
        if not entries:
            raise NobodyWaiting()
        called = [e for e in entries if e.called_at is not None]
        if not called:
            raise PhoneInUse()
        for entry in called:
            call_queue.leave_entry(uow, entry, now, QueueExit.MISSED, staff_id)
        call_queue.advance(uow, now)
        uow.commit()
    return call_queue.queue_board(uow)


def move(uow: UnitOfWork, staff_id: uuid.UUID, entry_id: uuid.UUID, *, up: bool) -> bool:
    """Swap a waiting child with the one before (`up`) or after her. Children already called keep
    their turn; False (nothing written) when there is nobody waiting to pass."""
    with uow:
        require_staff(uow.session, staff_id)
        waiting = [e for e in _open_entries(uow) if e.called_at is None]
        mine = next((e for e in waiting if e.id == entry_id), None)
        if mine is None:
            raise UnknownPlace()
        index = waiting.index(mine) + (-1 if up else 1)
        if not 0 <= index < len(waiting):
            return False
        other = waiting[index]
        mine_position, other_position = mine.position, other.position
        mine.position = -mine_position  # positions are unique: step aside for the swap
        uow.session.flush()
        other.position = mine_position
        uow.session.flush()
        mine.position = other_position
        uow.record(mine.moved_event(other, staff_id))
        uow.commit()
        return True


def remove(uow: UnitOfWork, staff_id: uuid.UUID, entry_id: uuid.UUID) -> None:
    """Take a child out of the queue (she went home, or gave her turn to a friend by word of mouth);
    the children behind move up, and the next is called if the phone is free."""
    with uow:
        require_staff(uow.session, staff_id)
        entry = uow.session.get(QueueEntry, entry_id)
        if entry is None or entry.left_at is not None:
            raise UnknownPlace()
        now = uow.clock.now()
        call_queue.leave_entry(uow, entry, now, QueueExit.REMOVED, staff_id)
        call_queue.advance(uow, now)
        uow.commit()


def _open_entries(uow: UnitOfWork) -> list[QueueEntry]:
    return list(
        uow.session.scalars(
            select(QueueEntry).where(QueueEntry.left_at.is_(None)).order_by(QueueEntry.position)
        )
    )
