"""Opening the kiosk's database: migrate it, make sure it knows which device it is, return a unit of work."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.clock import Clock, SystemClock
from db.engine import make_engine
from db.migrate import upgrade
from db.models import DeviceIdentity
from kiosk.services.uow import UnitOfWork


def open_database(path: Path | str, clock: Clock | None = None) -> UnitOfWork:
    """Create or upgrade the SQLite file at `path` and return a unit of work on it."""
    engine = make_engine(path)
    upgrade(engine)
    clock = clock or SystemClock()
    ensure_device_identity(engine, clock)
    return UnitOfWork(engine, clock)


def ensure_device_identity(engine: Engine, clock: Clock) -> uuid.UUID:
    """The device id is born with the file and never changes: events from this kiosk carry it."""
    with Session(engine) as session, session.begin():
        identity = session.get(DeviceIdentity, 1)
        if identity is None:
            identity = DeviceIdentity(singleton=1, device_id=uuid.uuid4(), next_seq=1, created_at=clock.now())
            session.add(identity)
        return identity.device_id
