"""The SQLite engine the kiosk writes through.

Pragmas, and why:
- `journal_mode=WAL`: readers (admin screens, the sync worker) never block the writer (a sign-in).
- `synchronous=FULL`: the WAL is fsynced at every commit. With NORMAL, WAL stays consistent after a power
  cut but the last commits can vanish: a child told "签到成功" would not be in the file. The room does a
  few writes a minute, so one fsync per commit costs nothing anyone notices.
- `foreign_keys=ON`: SQLite leaves it off by default; every relation in the models is meant.
- `busy_timeout`: the UI and the sync worker are different connections; wait briefly instead of failing.
- `secure_delete=ON`: deleted or overwritten content is zeroed, not left in free space: when a child's
  personal data is erased (the school's retention period), or a staff PIN hash is sealed in place
  (db.pin_seal), the old bytes must not stay readable in the file for whoever copies the SD card. Rows
  are rarely deleted here, so the extra writes cost nothing noticeable.

Transactions: Python's sqlite3 module only begins a transaction at the first write, so a service's
"read, check, then write" would not be atomic. We turn that off and emit BEGIN ourselves; a unit of work
that will write asks for BEGIN IMMEDIATE so its reads and writes see one consistent state.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

from db.private_files import private_database_file

BUSY_TIMEOUT_MS = 5000
WRITE_OPTIONS = {"sqlite_begin": "BEGIN IMMEDIATE"}


def make_engine(path: Path | str, *, echo: bool = False) -> Engine:
    """An engine on the SQLite file at `path` (created if absent, with its parent folder), private to
    this user: see db.private_files."""
    db_path = Path(path)
    private_database_file(db_path)
    engine = create_engine(f"sqlite:///{db_path}", echo=echo)
    _install_sqlite_hooks(engine)
    return engine


def writer(engine: Engine) -> Engine:
    """The same pool, but every transaction starts with BEGIN IMMEDIATE (takes the write lock up front)."""
    return engine.execution_options(**WRITE_OPTIONS)


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see module docstring
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


def pragma(engine: Engine, name: str) -> Any:
    """Read one PRAGMA (for tests and the admin's health screen)."""
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()
