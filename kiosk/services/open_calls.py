"""Calls still open: a call lives as long as the call, not as long as the screen that started it.

The child's screen goes back to 请刷卡 when another child taps, or the kiosk restarts; the call goes
on. Her card brings it back (kiosk.services.signin.BackToCall), asking for the phone she is holding
is her own call, not a queue place (kiosk.services.call_queue.OnTheLine), and the duty teacher sees
every open call on the administrator's 电话排队 page and may end it. Below both the calls and the
queue, so each can ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import CallDirection, CallKind, Relation
from db.models import Child, Contact, FamilyCall
from kiosk.services.room_settings import load_settings
from kiosk.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OpenCall:
    call_id: uuid.UUID
    child_id: uuid.UUID
    relation: Relation
    callee_name: str
    number_to_dial: str
    kind: CallKind
    started_at: datetime
    ends_by: datetime  # the per-call time limit


@dataclass(frozen=True, slots=True)
class OpenCallLine:
    """One open call, for the duty teacher's page (names, behind the PIN; never the number)."""

    call_id: uuid.UUID
    child_name: str
    class_name: str
    relation: Relation
    kind: CallKind
    started_at: datetime
    ends_by: datetime


def open_call_of(uow: UnitOfWork, child_id: uuid.UUID) -> OpenCall | None:
    """This child's call that has not ended (at most one: the database keeps it so), with the number
    to dial again: the caller is the one asking. A call past the school's time limit is over, whether
    or not anything has closed it yet (the next move of the queue does)."""
    with uow.read() as session:
        return open_call_in(session, child_id, uow.clock.now())


def open_call_in(session: Session, child_id: uuid.UUID, now: datetime) -> OpenCall | None:
    """As `open_call_of`, on the caller's session (inside its transaction)."""
    row = session.execute(
        select(FamilyCall, Contact)
        .join(Contact, Contact.id == FamilyCall.callee_id)
        .where(FamilyCall.child_id == child_id, FamilyCall.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    call, callee = row
    ends_by = call.started_at + load_settings(session).call_time_limit
    if ends_by <= now:
        return None
    return OpenCall(
        call.id, child_id, callee.relation, callee.name, callee.phone, call.kind, call.started_at, ends_by
    )


def open_calls(uow: UnitOfWork) -> list[OpenCallLine]:
    """Every call not yet ended, oldest first: the children on the phone or the video now."""
    with uow.read() as session:
        limit = load_settings(session).call_time_limit
        rows = session.execute(
            select(FamilyCall, Child.name, Child.class_name, Contact.relation)
            .join(Child, Child.id == FamilyCall.child_id)
            .join(Contact, Contact.id == FamilyCall.callee_id)
            .where(FamilyCall.ended_at.is_(None), FamilyCall.direction == CallDirection.OUTGOING)
            .order_by(FamilyCall.started_at)
        ).all()
        return [
            OpenCallLine(
                call.id, name, class_name, relation, call.kind, call.started_at, call.started_at + limit
            )
            for call, name, class_name, relation in rows
        ]
