"""The server takes the time from the clock its sessions carry (`sync.server.core.clock`), so a test that
moves the clock moves every part of a request together: a roster preview made "an hour ago" is stale
to the sweep, the page and the confirmation alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.clock import ManualClock
from sync.server.bootstrap import open_central
from sync.server.devices import provisioning
from sync.server.models import OfficeRole
from sync.server.office.accounts import users
from sync.server.office.sheets import staging

SERVER = Path(__file__).resolve().parents[2] / "sync" / "server"
MACHINE_TIME = re.compile(r"datetime\.now\(|date\.today\(\)|datetime\.utcnow\(")
# Where there is no session to ask: a command's default when no time is given, the metrics a scrape
# reads, and an audit line's period code (it names its own dates; today would only fill an empty one).
NO_SESSION = re.compile(r"now or datetime\.now\(UTC\)")
ALLOWED_FILES = {"operations/metrics.py", "web/audit_words.py"}


def test_no_server_module_reads_the_machines_clock_beside_the_sessions() -> None:
    found = [
        f"{path.relative_to(SERVER)}:{number}: {line.strip()}"
        for path in sorted(SERVER.rglob("*.py"))
        if path.relative_to(SERVER).as_posix() not in ALLOWED_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_TIME.search(line) and not NO_SESSION.search(line) and not line.lstrip().startswith("#")
        and "never `datetime.now()`" not in line
    ]  # fmt: skip
    assert found == []


def test_a_preview_is_stale_by_the_servers_clock(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    database = open_central(f"sqlite:///{tmp_path / 'central.sqlite3'}", clock=clock)
    with database.writes() as session:
        school_id = provisioning.create_school(session, "县第一小学").id
        clerk = users.create_user(
            session, username="clerk", display_name="王𠈌", password="春眠不觉晓-处处闻啼鸟",
            role=OfficeRole.SCHOOL_ADMIN, school_id=school_id,
        )  # fmt: skip
        staged = staging.stage(
            session, what="roster", school_id=school_id, user_id=clerk.id, filename="花名册.xlsx",
            rows=[], summary={},
        )  # fmt: skip
        assert staged.created_at == clock.now()
        session.commit()
    clock.advance(staging.STAGING_LIFETIME - timedelta(minutes=1))
    with database.reads() as session:
        assert staging.find(session, school_id, staged.id, "roster") is not None
    clock.advance(timedelta(minutes=2))
    with database.reads() as session:
        assert staging.find(session, school_id, staged.id, "roster") is None
