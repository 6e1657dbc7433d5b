"""What the sync_push benchmark runs against: a school's server on SQLite or PostgreSQL, and kiosks
holding a generated backlog, each push timed per batch from the server's own Server-Timing header."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select, update

from bench.history_db import NOW, HistorySpec, history_db
from db.clock import ManualClock
from db.demo_history import HistoryRates
from kiosk.services.database_open import open_database
from sync.client import SyncClient
from sync.client.transport import ServerApi
from sync.server.api.timing import server_ms
from sync.server.bootstrap import open_central
from sync.server.cli.demo import import_demo_school
from sync.server.devices import provisioning
from sync.server.models import CentralCard
from tests.support.processes import PostgresCluster, ServerProcess


def backlog_spec(events: int, seed: int = 7) -> HistorySpec:
    """A busy room (three openings a day, every child every time) from spring to the end of November;
    only its newest `events` events never reached the server. Children sign in with their own cards."""
    return HistorySpec(
        date(2026, 3, 2),
        date(2026, 11, 22),
        3,
        True,
        HistoryRates(visit=1.0, call_given_visit=0.35, book_given_visit=0.15, equipment_given_visit=0.6),
        pending_events=events,
        seed=seed,
    )


class Databases:
    """Fresh, empty central databases of one kind: SQLite files, or databases in one private,
    durable PostgreSQL cluster (fsync on, as a school's server would run it)."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self.cluster = PostgresCluster(durable=True) if kind == "postgresql" else None
        self._made = 0

    def new(self) -> str:
        self._made += 1
        if self.cluster is not None:
            return self.cluster.create_database(f"bench{self._made}")
        return f"sqlite:///{self.folder / f'central-{self._made}.sqlite3'}"

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()


class TimedApi(ServerApi):
    """The real client's HTTP calls, noting the server's time for each push."""

    def __init__(self, base_url: str, token: str | None, record: list[float]) -> None:
        super().__init__(base_url, token)
        self.record = record

    def _send(
        self, method: str, path: str, body: bytes | None, params: dict[str, Any] | None
    ) -> requests.Response:
        response = super()._send(method, path, body, params)
        if path == "/sync/events" and (spent := server_ms(response.headers.get("Server-Timing"))) is not None:
            self.record.append(spent)
        return response


@dataclass
class School:
    """A server process on a fresh database, with the demo school (the very ids of a demo kiosk)."""

    server: ServerProcess
    url_db: str
    school_id: object
    room_id: object
    server_ms: list[float] = field(default_factory=list)

    @classmethod
    def start(cls, url_db: str, folder: Path) -> School:
        central = open_central(url_db)
        with central.writes() as session:
            school = provisioning.create_school(session, "基准测试小学")
            room = provisioning.create_room(session, school.id, "留守儿童之家")
            import_demo_school(session, school.id, NOW)
            session.commit()
        central.engine.dispose()
        server = ServerProcess(url_db, folder / "server.log").start()
        return cls(server, url_db, school.id, room.id)

    def enrol(self, backlog: Path, folder: Path, *, timed: bool) -> SyncClient:
        """A kiosk holding `backlog`, enrolled; its first sync (roster snapshot, then the push) is left
        to the caller. `timed`: its pushes note the server's time per batch."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kiosk.sqlite3"
        shutil.copyfile(backlog, path)
        uow = open_database(path, ManualClock(NOW))
        factory = (lambda url, token: TimedApi(url, token, self.server_ms)) if timed else ServerApi
        client = SyncClient(uow.engine, uow.clock, api_factory=factory)
        central = open_central(self.url_db, migrate=False)
        with central.writes() as session:
            code = provisioning.issue_enrolment_code(session, self.room_id).code
            session.commit()
        central.engine.dispose()
        client.enrol(self.server.url, code, then_sync=False)
        return client

    def lose_cards_long_ago(self, every: int) -> int:
        """Every `every`-th child's card marked lost by the centre before the backlog began, so each of
        that child's sign-ins is a card_used_after_central_change conflict."""
        central = open_central(self.url_db, migrate=False)
        with central.writes() as session:
            children_cards = select(CentralCard.uid).where(
                CentralCard.school_id == self.school_id, CentralCard.child_id.is_not(None)
            )
            uids = sorted(session.scalars(children_cards))[::every]
            session.execute(  # a plain UPDATE: the change's time is set by hand, before the backlog
                update(CentralCard.__table__)
                .where(CentralCard.school_id == self.school_id, CentralCard.uid.in_(uids))
                .values(status="lost", changed_at=datetime(2026, 1, 1, tzinfo=UTC))
            )
            session.commit()
        central.engine.dispose()
        return len(uids)

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far (Linux /proc)."""
        assert self.server.process is not None
        fields = Path(f"/proc/{self.server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.server.stop()


def backlog(events: int, folder: Path, seed: int = 7) -> Path:
    return history_db(backlog_spec(events, seed), folder / f"backlog-{seed}.sqlite3")
