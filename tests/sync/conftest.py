"""Fixtures for the sync tests: one real server per database backend, schools on it, and kiosks.

Every server test runs once on SQLite and once on PostgreSQL (the `backend` parameter). A server
process lives for the whole session per backend; tests stay apart by each making its own school,
which is also what keeps real schools apart. Kiosks are separate SQLite files on manual clocks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import pytest
from sqlalchemy import select

from db.clock import ManualClock
from db.models import OutboxEvent
from kiosk.services.database_open import open_database
from sync.client import SyncClient, SyncReport
from sync.client.transport import ServerApi
from sync.server.bootstrap import open_central
from tests.conftest import START, Room
from tests.support.processes import PG_BIN, PostgresCluster, ServerProcess
from tests.sync.central import Central, SchoolRef
from tests.sync.faultproxy import FaultProxy
from tests.sync.rawapi import RawDevice, enrol_raw

# Short timeouts so a test of a slow or dead server does not wait for the production 30 s.
QUICK_TIMEOUT = (2.0, 3.0)


def quick_api(url: str, token: str | None) -> ServerApi:
    return ServerApi(url, token, timeout=QUICK_TIMEOUT)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    if PG_BIN is None:
        pytest.skip("PostgreSQL binaries not found under /usr/lib/postgresql (make test installs them)")
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def new_database_url(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / f'central-{uuid.uuid4().hex[:8]}.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database()


@pytest.fixture(scope="session")
def server(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp(f"server-{backend}")
    backups = ["--backup-dir", str(folder / "backups")]  # where SQLite's go anyway: beside the database
    process = ServerProcess(
        new_database_url(backend, request, folder), folder / "server.log", serve_args=backups
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def central(server: ServerProcess) -> Iterator[Central]:
    database = open_central(server.database_url, migrate=False)  # the server migrated it at start
    yield Central(database)
    database.engine.dispose()


class Kiosk:
    """One kiosk: its own SQLite file, a manual clock, and the sync client the kiosk would run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = ManualClock(START)
        self.uow = open_database(path, self.clock)
        self.client = SyncClient(self.uow.engine, self.clock, api_factory=quick_api)

    @property
    def device_id(self) -> uuid.UUID:
        return self.client.device_id

    def enrol(self, server_url: str, code: str) -> SyncReport:
        return self.client.enrol(server_url, code)

    def sync(self) -> SyncReport:
        return self.client.sync_once()

    @cached_property
    def room(self) -> Room:
        """The room's people and stock as this kiosk knows them (after its first pull)."""
        return Room(self.uow, self.clock)

    def outbox_ids(self) -> set[uuid.UUID]:
        with self.uow.read() as session:
            return set(session.scalars(select(OutboxEvent.id)))

    def pending(self) -> int:
        return self.client.status().pending_events

    def close(self) -> None:
        self.uow.engine.dispose()


@pytest.fixture
def new_kiosk(tmp_path: Path) -> Iterator[callable]:
    kiosks: list[Kiosk] = []

    def make(name: str = "kiosk") -> Kiosk:
        kiosk = Kiosk(tmp_path / f"{name}.sqlite3")
        kiosks.append(kiosk)
        return kiosk

    yield make
    for kiosk in kiosks:
        kiosk.close()


@pytest.fixture
def school(central: Central) -> SchoolRef:
    return central.new_school()


@pytest.fixture
def device(server: ServerProcess, central: Central, school: SchoolRef) -> RawDevice:
    """A device enrolled by hand (no kiosk database), for requests a real kiosk would never send."""
    return enrol_raw(server, central, school)


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    faulty = FaultProxy(server.port)
    yield faulty
    faulty.close()
