"""The unit of work: one transaction that writes a service's rows and its outbox event together.

Either both land or neither does; that is what lets the sync client trust the outbox as the complete
record of what happened in the room. A UnitOfWork belongs to one thread at a time (make one per thread;
they share the engine and are cheap).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.clock import Clock, SystemClock
from db.engine import writer
from db.events import Event
from db.ids import time_ordered_id
from db.models import DeviceIdentity, OutboxEvent
from db.pin_seal import PinKey
from kiosk.services.room_settings import RoomSettings, load_settings
from kiosk.services.storage import refused_on_storage_trouble, storage_refusal


class UnitOfWork:
    def __init__(self, engine: Engine, clock: Clock | None = None, pin_key: PinKey | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self._pin_key = pin_key
        self._write_sessions = sessionmaker(bind=writer(engine), expire_on_commit=False)
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._session: Session | None = None
        self._settings: RoomSettings | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in a transaction")
        self._session = self._write_sessions()
        self._settings = None
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()  # no-op after commit; undoes everything after a refusal or error
        finally:
            self._session.close()
            self._session = None
        refusal = None if exc is None else storage_refusal(exc, self.db_path)
        if refusal is not None:  # a full card, a read-only folder …: said, and nothing was written
            raise refusal from exc

    @property
    def db_path(self) -> Path:
        return Path(self.engine.url.database or "")

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use `with uow:` before touching the session")
        return self._session

    @property
    def settings(self) -> RoomSettings:
        if self._settings is None:
            self._settings = load_settings(self.session)
        return self._settings

    @property
    def pin_key(self) -> PinKey:
        """The device key staff PINs are sealed with (db.pin_seal); kiosk.services.database_open supplies
        it."""
        if self._pin_key is None:
            raise RuntimeError("no PIN seal key: open the database with kiosk.services.database_open")
        return self._pin_key

    def commit(self) -> None:
        self.session.commit()

    def record(self, event: Event) -> OutboxEvent:
        """Append an event to the outbox in the current transaction, with the next sequence number."""
        identity = self.session.get(DeviceIdentity, 1)
        if identity is None:
            raise RuntimeError("device identity missing: open the database with kiosk.services.database_open")
        row = OutboxEvent(
            id=time_ordered_id(),
            device_id=identity.device_id,
            seq=identity.next_seq,
            type=event.type,
            payload=event.model_dump(mode="json"),
            occurred_at=self.clock.now(),
            boot_id=self.clock.boot_id,
            monotonic_ns=self.clock.monotonic_ns(),
        )
        identity.next_seq += 1
        self.session.add(row)
        return row

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot that never takes the write lock (admin screens, reports)."""
        session = self._read_sessions()
        try:
            with refused_on_storage_trouble(self.db_path), session.begin():
                yield session
        finally:
            session.close()
