"""The central database: SQLite by default (one command runs a school's server), PostgreSQL for real.

SQLite goes through the kiosk's own engine factory (WAL, synchronous=FULL, foreign keys, BEGIN
IMMEDIATE for writers), so both ends of the wire store data with the same care. On PostgreSQL the
writers take row locks instead (see sync.server.core.change_sequence and sync.server.intake.ingest).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from db.clock import Clock
from db.engine import make_engine, writer
from sync.server.core.clock import CLOCK_KEY
from sync.server.core.student_numbers import SESSION_KEY, StudentKey

DEFAULT_URL = "sqlite:///liushou-central.sqlite3"
URL_ENV = "SYNC_DATABASE_URL"
MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(URL_ENV) or DEFAULT_URL


def make_server_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the server needs a SQLite file, not an in-memory database")
        return _waiting_longer(make_engine(parsed.database))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


# A central server on SQLite has one writer at a time for every kiosk of the school: at 17:00 a
# push may queue behind dozens, so it waits as long as a kiosk waits for an answer (the client's read
# timeout) instead of the kiosk's own 5 s, after which it would fail with "database is locked".
SERVER_BUSY_TIMEOUT_MS = 30_000


def _waiting_longer(engine: Engine) -> Engine:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SERVER_BUSY_TIMEOUT_MS}")

    return engine


def write_sessions(engine: Engine, clock: Clock, key: StudentKey) -> sessionmaker[Session]:
    """Sessions for transactions that will write: BEGIN IMMEDIATE on SQLite, plain BEGIN elsewhere.
    Each carries the server's clock (sync.server.core.clock) and its student-number key
    (sync.server.core.student_numbers)."""
    return sessionmaker(
        bind=writer(engine), expire_on_commit=False, info={CLOCK_KEY: clock, SESSION_KEY: key}
    )


def read_sessions(engine: Engine, clock: Clock, key: StudentKey) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, info={CLOCK_KEY: clock, SESSION_KEY: key})


class MigrationError(RuntimeError):
    pass


def upgrade(engine: Engine, revision: str = "head", *, student_key: StudentKey | None = None) -> None:
    """Bring the central schema up to date (the server runs this at start; it is idempotent).
    `student_key` hashes stored student numbers (migration 0012).

    On SQLite the migrations run with foreign keys off, as SQLite's own docs prescribe for changing a
    table: a batch migration copies a table and swaps the copy in, which would otherwise trip the keys
    of every table that points at it. The keys are checked before the connection is handed back."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["student_key"] = student_key
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction: inside one it does nothing
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if raw is not None:
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(f"the migration left rows pointing nowhere: {broken[:5]}")
        finally:
            if raw is not None:
                connection.rollback()  # end the read a revision check began: the pragma needs no transaction
                raw.execute("PRAGMA foreign_keys=ON")


@dataclass(frozen=True)
class CentralDatabase:
    """The engine and the two kinds of session every part of the server uses. Writing sessions stamp
    central-row changes with the school's change sequence (sync.server.core.change_sequence)."""

    engine: Engine
    writes: sessionmaker[Session]
    reads: sessionmaker[Session]
    clock: Clock  # the one the sessions carry (sync.server.core.clock)
    student_key: StudentKey  # the one the sessions carry (sync.server.core.student_numbers)
