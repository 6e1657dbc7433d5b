"""The one place that puts the server together: the database opened, migrated, its change sequence
installed and its report records brought up to date. Everything below takes what it needs from here
(the command line, the app, the tests and the benchmarks), so no lower package has to reach up for it.
"""

from __future__ import annotations

import logging

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
from sync.server.projections import summaries

log = logging.getLogger("sync.server")


def open_central(
    url: str | None = None, *, migrate: bool = True, clock: Clock | None = None
) -> CentralDatabase:
    """The central database, migrated, with its sessions carrying `clock` (the system's by default:
    a test may pass a manual one, and everything the server stamps follows it)."""
    clock = clock or SystemClock()
    engine = make_server_engine(database_url(url))
    if migrate:
        upgrade(engine)
    writes = change_sequence.install(write_sessions(engine, clock))
    database = CentralDatabase(engine, writes, read_sessions(engine, clock), clock)
    if migrate:
        with database.writes() as session:
            if projections.rebuild_if_outdated(session):
                log.info("report records rebuilt from the received events")
            if summaries.rebuild_if_outdated(session):
                log.info("the county overview's summaries rebuilt from the report records")
            session.commit()
    return database
