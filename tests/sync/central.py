"""The test's side door into the central server's database: schools made, codes issued, what arrived.

Apart from conftest so that helpers the fixtures use (tests.sync.rawapi) can name these types too.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.cli.demo import import_demo_school
from sync.server.core.database import CentralDatabase
from sync.server.devices import provisioning
from sync.server.models import Conflict, Device, ReceivedEvent, SetAsideEvent
from sync.server.models.facts import ConflictKind, ConflictStatus
from tests.conftest import START


@dataclass(frozen=True)
class SchoolRef:
    id: uuid.UUID
    room_id: uuid.UUID


class Central:
    """The test's side door into the server's database: what an administrator (or an auditor) does."""

    _seeds = itertools.count(1000)  # each demo school its own seed, so ids never collide across schools

    def __init__(self, database: CentralDatabase) -> None:
        self.db = database

    def new_school(self, name: str = "测试小学", *, demo: bool = True) -> SchoolRef:
        with self.edit() as session:
            school = provisioning.create_school(session, name)
            room = provisioning.create_room(session, school.id, "留守儿童之家")
            if demo:
                import_demo_school(session, school.id, datetime.now(START.tzinfo), next(self._seeds))
            return SchoolRef(school.id, room.id)

    def code(self, school: SchoolRef) -> str:
        with self.edit() as session:
            return provisioning.issue_enrolment_code(session, school.room_id).code

    @contextmanager
    def edit(self) -> Iterator[Session]:
        with self.db.writes() as session:
            yield session
            session.commit()

    def events_of(self, device_id: uuid.UUID) -> list[ReceivedEvent]:
        with self.db.reads() as session:
            return list(
                session.scalars(
                    select(ReceivedEvent)
                    .where(ReceivedEvent.device_id == device_id)
                    .order_by(ReceivedEvent.seq)
                )
            )

    def event_count(self, school: SchoolRef) -> int:
        with self.db.reads() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(ReceivedEvent)
                    .where(ReceivedEvent.school_id == school.id)
                )
                or 0
            )

    def conflicts(self, school: SchoolRef, kind: ConflictKind | None = None) -> list[Conflict]:
        with self.db.reads() as session:
            query = select(Conflict).where(Conflict.school_id == school.id)
            if kind is not None:
                query = query.where(Conflict.kind == kind)
            return list(session.scalars(query.order_by(Conflict.detected_at)))

    def open_conflicts(self, school: SchoolRef, kind: ConflictKind) -> list[Conflict]:
        return [c for c in self.conflicts(school, kind) if c.status is ConflictStatus.OPEN]

    def set_aside(self, school: SchoolRef) -> list[SetAsideEvent]:
        with self.db.reads() as session:
            return provisioning.open_set_aside_events(session, school.id)

    def device(self, device_id: uuid.UUID) -> Device | None:
        with self.db.reads() as session:
            return session.get(Device, device_id)
