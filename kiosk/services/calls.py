"""亲情电话 / 视频通话: the room's rule is 先记载再打亲情电话 — the call is logged before it is dialled.

Callees are the people the school allows for this child (parents; the temporary guardian during term),
so the kiosk never dials a number a child typed. The full number is returned only when the call is
opened (that is when the child needs it); every list shows just the last four digits.

The phone is shared: a phone call starts only for the child whose turn it is while others wait
(kiosk.services.call_queue), and every call that ends moves the queue on. Parents ringing the room's
亲情热线 are logged afterwards (`log_incoming_call`), with who rang, for whom and for how long.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from db.enums import CallDirection, CallEnd, CallKind, CallReason, QueueExit, Relation
from db.ids import time_ordered_id
from db.models import Contact, FamilyCall
from kiosk.services import call_queue
from kiosk.services.call_ends import end_call, end_expired_calls
from kiosk.services.errors import (
    CallAlreadyEnded,
    CallAlreadyOpen,
    CallerRequired,
    FinishCallFirst,
    InvalidCallTimes,
    LineBusy,
    UnknownCall,
)
from kiosk.services.lookups import require_child, require_contact, require_staff
from kiosk.services.open_calls import OpenCall
from kiosk.services.uow import UnitOfWork

__all__ = ["CalleeChoice", "ClosedCall", "OpenCall"]  # OpenCall lives in open_calls, below the queue

MAX_INCOMING_MINUTES = 180


@dataclass(frozen=True, slots=True)
class CalleeChoice:
    contact_id: uuid.UUID
    relation: Relation
    name: str
    phone_tail: str  # last four digits, enough for a child to recognise the number


@dataclass(frozen=True, slots=True)
class ClosedCall:
    call_id: uuid.UUID
    seconds: int  # how long it lasted: a 30-second call is 0 分 30 秒, not "0 minutes"
    reason: CallEnd


def callees_for(uow: UnitOfWork, child_id: uuid.UUID) -> list[CalleeChoice]:
    with uow:
        require_child(uow.session, child_id)
        contacts = uow.session.scalars(
            select(Contact).where(Contact.child_id == child_id, Contact.allowed_to_call.is_(True))
        ).all()
        return _choices(contacts)


def _choices(contacts: Sequence[Contact]) -> list[CalleeChoice]:
    """Parents first, then the guardian …; the last four digits only."""
    order = list(Relation)
    return [
        CalleeChoice(c.id, c.relation, c.name, c.phone[-4:])
        for c in sorted(contacts, key=lambda c: order.index(c.relation))
    ]


def callers_for(uow: UnitOfWork, child_id: uuid.UUID) -> list[CalleeChoice]:
    """Who may have rung this child on the 亲情热线: everyone on the child's card, also those the
    child may not ring themselves (a relative calling in is still family contact)."""
    with uow.read() as session:
        require_child(session, child_id)
        contacts = session.scalars(select(Contact).where(Contact.child_id == child_id)).all()
        return _choices(contacts)


def start_family_call(
    uow: UnitOfWork,
    child_id: uuid.UUID,
    callee_id: uuid.UUID,
    kind: CallKind,
    reason: CallReason | None = None,
) -> OpenCall:
    """Log the call, then hand back the number to dial. A video call is not the phone's queue: a child
    who was waiting for the phone and calls by video instead gives her place up (never called later)."""
    with uow:
        session = uow.session
        require_child(session, child_id)
        callee = require_contact(session, child_id, callee_id, to_call=True)
        now = uow.clock.now()
        end_expired_calls(uow, now)
        if session.scalar(
            select(FamilyCall.id).where(FamilyCall.child_id == child_id, FamilyCall.ended_at.is_(None))
        ):
            raise CallAlreadyOpen()
        if kind is CallKind.PHONE:
            call_queue.take_turn(uow, child_id, now)
        elif call_queue.leave(uow, child_id, now, QueueExit.VIDEO_INSTEAD):
            call_queue.advance(uow, now)
        capacity = (
            uow.settings.phones_in_room if kind is CallKind.PHONE else uow.settings.video_devices_in_room
        )
        in_use = session.scalar(
            select(func.count())
            .select_from(FamilyCall)
            .where(
                FamilyCall.ended_at.is_(None),
                FamilyCall.kind == kind,
                FamilyCall.direction == CallDirection.OUTGOING,
            )
        )
        if (in_use or 0) >= capacity:
            raise LineBusy(kind=kind.value)
        call = _add_call(uow, child_id, callee.id, kind, CallDirection.OUTGOING, reason, now)
        uow.commit()
        return OpenCall(
            call.id,
            child_id,
            callee.relation,
            callee.name,
            callee.phone,
            kind,
            now,
            now + uow.settings.call_time_limit,
        )


def end_family_call(uow: UnitOfWork, call_id: uuid.UUID, reason: CallEnd = CallEnd.HUNG_UP) -> ClosedCall:
    with uow:
        return _end(uow, call_id, reason)


def end_call_by_staff(uow: UnitOfWork, staff_id: uuid.UUID, call_id: uuid.UUID) -> ClosedCall:
    """The duty teacher ends a call left open (the child went off without 结束通话, the phone is needed):
    it ends now, as closed by staff, and the queue moves on."""
    with uow:
        require_staff(uow.session, staff_id)
        return _end(uow, call_id, CallEnd.CLOSED_BY_STAFF)


def _end(uow: UnitOfWork, call_id: uuid.UUID, reason: CallEnd) -> ClosedCall:
    """Within `with uow`: end the call, move the queue, commit."""
    call = uow.session.get(FamilyCall, call_id)
    if call is None:
        raise UnknownCall()
    if call.ended_at is not None:
        raise CallAlreadyEnded()
    now = uow.clock.now()
    ended_at = (
        min(now, call.started_at + uow.settings.call_time_limit) if reason is CallEnd.TIME_LIMIT else now
    )
    end_call(uow, call, ended_at, reason)
    call_queue.advance(uow, now)
    uow.commit()
    return ClosedCall(call.id, int((ended_at - call.started_at).total_seconds()), reason)


def close_expired_calls(uow: UnitOfWork) -> int:
    """Calls left open past the time limit (the child walked away) are closed at the limit."""
    with uow:
        now = uow.clock.now()
        closed = end_expired_calls(uow, now)
        call_queue.advance(uow, now)
        uow.commit()
        return closed


def log_incoming_call(
    uow: UnitOfWork,
    child_id: uuid.UUID,
    caller_id: uuid.UUID | None,
    minutes: int,
    *,
    ended_at: datetime | None = None,
    kind: CallKind = CallKind.PHONE,
    reason: CallReason | None = None,
    staff_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A parent rang the 亲情热线: logged afterwards by the duty teacher (`staff_id`) or by the child
    after tapping their own card, with who rang and how long they talked. It began `minutes` before it
    ended (now, unless said otherwise), and that start is what it keeps: the record is of the call,
    not of the logging. It counts as family contact.

    A child whose own call is still open is asked to end it first (FinishCallFirst: her screen says
    so and takes her back to it), so one of her calls is never left running behind another. The
    teacher, who knows what happened, may log a call that came in for a child on a call: it is a
    finished call of its own, beside the open one."""
    if caller_id is None:
        raise CallerRequired()
    if not 0 <= minutes <= MAX_INCOMING_MINUTES:
        raise InvalidCallTimes()
    with uow:
        session = uow.session
        if staff_id is not None:
            require_staff(session, staff_id)
        require_child(session, child_id)
        require_contact(session, child_id, caller_id, to_call=False)
        now = uow.clock.now()
        end = ended_at or now
        if end > now:
            raise InvalidCallTimes()
        if staff_id is None:
            open_kind = session.scalar(
                select(FamilyCall.kind).where(FamilyCall.child_id == child_id, FamilyCall.ended_at.is_(None))
            )
            if open_kind is not None:
                raise FinishCallFirst(kind=open_kind.value)
        started_at = end - timedelta(minutes=minutes)
        # Written already ended: it never stands open, not even for a flush, so it cannot collide
        # with an open call of the same child (one open call per child, the database says).
        call = _add_call(
            uow, child_id, caller_id, kind, CallDirection.INCOMING, reason, started_at, staff_id, ended_at=end
        )
        uow.record(call.ended_event())
        uow.commit()
        return call.id


def _add_call(
    uow: UnitOfWork,
    child_id: uuid.UUID,
    callee_id: uuid.UUID,
    kind: CallKind,
    direction: CallDirection,
    reason: CallReason | None,
    started_at: datetime,
    staff_id: uuid.UUID | None = None,
    *,
    ended_at: datetime | None = None,
) -> FamilyCall:
    call = FamilyCall(
        id=time_ordered_id(),
        child_id=child_id,
        callee_id=callee_id,
        kind=kind,
        direction=direction,
        reason=reason,
        started_at=started_at,
        ended_at=ended_at,
        end_reason=None if ended_at is None else CallEnd.HUNG_UP,
        logged_by_staff_id=staff_id,
    )
    uow.session.add(call)
    uow.record(call.started_event())
    return call
