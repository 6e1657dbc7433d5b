"""Fixtures shared by the whole suite: a kiosk database with the demo school in it, on a manual clock."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from db.clock import ManualClock
from db.demo import DemoSummary, load_demo_data
from db.events import parse_event
from db.models import Card, Child, Contact, Copy, OutboxEvent, Staff
from db.pin_key_file import pin_key_path_for
from kiosk.services import signin, signout
from kiosk.services.database_open import open_database
from kiosk.services.uow import UnitOfWork

# Monday 23 November 2026, 15:30 in the school's time zone (Asia/Shanghai): the room is open after class.
START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def central_server_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One secret key file for the whole session's central servers (a test server and the test's own
    connection to its database must hash student numbers with the same key; none is made in the
    user's home), and abandoned previews swept every two seconds instead of five minutes."""
    path = tmp_path_factory.mktemp("server-secret") / "secret.key"
    saved = {name: os.environ.get(name) for name in ("SYNC_SECRET_FILE", "SYNC_SWEEP_SECONDS")}
    os.environ["SYNC_SECRET_FILE"] = str(path)
    os.environ["SYNC_SWEEP_SECONDS"] = "2"
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    """Build the migrated demo database once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "kiosk.sqlite3"
    uow = open_database(path, ManualClock(START))
    with uow:
        summary = load_demo_data(uow.session, START, pin_key=uow.pin_key)
        uow.commit()
    uow.engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, summary


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def db_path(tmp_path: Path, demo_template: tuple[Path, DemoSummary]) -> Path:
    path = tmp_path / "kiosk.sqlite3"
    shutil.copyfile(demo_template[0], path)
    # The device key goes with it: staff PINs in the file are sealed with it (db.pin_seal).
    shutil.copy(pin_key_path_for(demo_template[0]), pin_key_path_for(path))  # with its 0600
    return path


@pytest.fixture
def uow(db_path: Path, clock: ManualClock) -> Iterator[UnitOfWork]:
    unit = open_database(db_path, clock)
    yield unit
    unit.engine.dispose()


@pytest.fixture
def demo(demo_template: tuple[Path, DemoSummary]) -> DemoSummary:
    return demo_template[1]


class Room:
    """The room as the tests talk about it: children by number, their cards, the outbox."""

    def __init__(self, uow: UnitOfWork, clock: ManualClock) -> None:
        self.uow = uow
        self.clock = clock
        with uow.read() as session:
            self._children = session.execute(
                select(Child.id, Card.uid)
                .join(Card, Card.child_id == Child.id)
                .order_by(Child.grade, Child.name)
            ).all()
            self._staff = session.execute(
                select(Staff.id, Card.uid).join(Card, Card.staff_id == Staff.id).order_by(Staff.name)
            ).all()

    def child(self, n: int = 0) -> uuid.UUID:
        return self._children[n][0]

    def card_of(self, n: int = 0) -> str:
        return self._children[n][1]

    def staff(self, n: int = 0) -> uuid.UUID:
        return self._staff[n][0]

    def staff_card(self, n: int = 0) -> str:
        return self._staff[n][1]

    def tap(self, n: int = 0) -> signin.TapResult:
        return signin.tap_card(self.uow, self.card_of(n))

    def come_or_go(self, n: int = 0) -> signin.TapResult | signout.SignedOut | None:
        """A child comes in (her card) or leaves (her card, then 是 when the kiosk asks 要签退吗？):
        one event either way, as the room makes them."""
        answer = self.tap(n)
        if isinstance(answer, signin.AskSignOut):
            return signout.sign_out(self.uow, self.child(n))
        return answer

    def callees(self, n: int = 0) -> list[Contact]:
        with self.uow.read() as session:
            return list(session.scalars(select(Contact).where(Contact.child_id == self.child(n))))

    def barcodes(self, kind: str, count: int = 1) -> list[str]:
        from db.models import CatalogueItem

        with self.uow.read() as session:
            return list(
                session.scalars(
                    select(Copy.barcode)
                    .join(CatalogueItem)
                    .where(CatalogueItem.kind == kind)
                    .order_by(Copy.barcode)
                    .limit(count)
                )
            )

    def events(self, event_type: str | None = None) -> list[OutboxEvent]:
        with self.uow.read() as session:
            query = select(OutboxEvent).order_by(OutboxEvent.seq)
            if event_type:
                query = query.where(OutboxEvent.type == event_type)
            rows = list(session.scalars(query))
        for row in rows:  # every event the services write must match the wire schema
            parse_event(row.type, row.payload)
        return rows

    def state(self) -> dict[str, list[tuple[Any, ...]]]:
        return database_state(self.uow.engine)


def database_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to prove a refusal changed nothing at all."""
    with engine.connect() as connection:
        return {
            table: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{table}"')).all()), key=repr)
            for table in inspect(connection).get_table_names()
        }


@pytest.fixture
def room(uow: UnitOfWork, clock: ManualClock) -> Room:
    return Room(uow, clock)
