"""The one place that puts the server together: the database opened, migrated, its change sequence
installed and its report records brought up to date. Everything below takes what it needs from here
(the command line, the app, the tests and the benchmarks), so no lower package has to reach up for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from db.clock import Clock, SystemClock
from sync.server import projections
from sync.server.core import change_sequence
from sync.server.core.database import (
    CentralDatabase,
    database_url,
    make_server_engine,
    read_sessions,
    upgrade,
    write_sessions,
)
from sync.server.core.student_numbers import KEY_PURPOSE, StudentKey, key_for_database, secret_file_path
from sync.server.models import KeyCheck
from sync.server.projections import summaries

log = logging.getLogger("sync.server")


def open_central(
    url: str | None = None,
    *,
    migrate: bool = True,
    clock: Clock | None = None,
    secret_file: str | Path | None = None,
) -> CentralDatabase:
    """The central database, migrated, with its sessions carrying `clock` (the system's by default:
    a test may pass a manual one, and everything the server stamps follows it) and the student-number
    key from `secret_file` (else SYNC_SECRET_FILE, else the user's config folder). A key file that is
    missing or not this database's is refused (SecretMismatch) before anything is touched."""
    clock = clock or SystemClock()
    engine = make_server_engine(database_url(url))
    try:
        key = key_for_database(secret_file_path(secret_file), _fingerprint(engine))
    except Exception:
        engine.dispose()
        raise
    if migrate:
        upgrade(engine, student_key=key)
    writes = change_sequence.install(write_sessions(engine, clock, key))
    database = CentralDatabase(engine, writes, read_sessions(engine, clock, key), clock, key)
    if migrate:
        with database.writes() as session:
            _remember(session, key)
            if projections.rebuild_if_outdated(session):
                log.info("report records rebuilt from the received events")
            if summaries.rebuild_if_outdated(session):
                log.info("the county overview's summaries rebuilt from the report records")
            session.commit()
    return database


def _fingerprint(engine: Engine) -> str | None:
    """The fingerprint of the key this database was used with; None before it ever had one."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(KeyCheck.__tablename__):
            return None
        return connection.scalar(select(KeyCheck.fingerprint).where(KeyCheck.purpose == KEY_PURPOSE))


def _remember(session: Session, key: StudentKey) -> None:
    if session.get(KeyCheck, KEY_PURPOSE) is None:
        session.add(KeyCheck(purpose=KEY_PURPOSE, fingerprint=key.fingerprint()))
