"""The audit log: every view of a child's record, every export and every change, for the school's
administrator to read.

Entries name subjects by id ("child:<uuid>") and hold counts, never names or phone numbers: the log
page resolves names when it is shown, so a child whose data is erased is erased from the log too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import AuditEntry, OfficeUser


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, and from where: the user (None for the command line) and their address."""

    user: OfficeUser | None
    address: str | None = None

    @property
    def username(self) -> str:
        return self.user.username if self.user is not None else "(command line)"


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    school_id: uuid.UUID | None,
    subject: str | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            id=uuid.uuid4(),
            at=now_of(session),
            school_id=school_id,
            user_id=actor.user.id if actor.user is not None else None,
            username=actor.username,
            action=action,
            subject=subject,
            detail={k: _plain(v) for k, v in detail.items()},
            address=actor.address,
        )
    )


def entries(
    session: Session,
    school_id: uuid.UUID,
    *,
    action: str | None = None,
    username: str | None = None,
    subject: str | None = None,
    before: datetime | None = None,
    limit: int = 100,
) -> Sequence[AuditEntry]:
    query: Select[tuple[AuditEntry]] = select(AuditEntry).where(AuditEntry.school_id == school_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if username:
        query = query.where(AuditEntry.username == username)
    if subject:
        query = query.where(AuditEntry.subject == subject)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    return session.scalars(query.order_by(AuditEntry.at.desc()).limit(limit)).all()


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
