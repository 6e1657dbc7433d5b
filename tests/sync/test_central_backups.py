"""Backups of the central database, on SQLite and on PostgreSQL: made while kiosks write, private,
rotated, put back exactly, refused when damaged, and checked weekly by a restore into a scratch
database whose counts must match what the backup held when it was made."""

from __future__ import annotations

import json
import shutil
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, text, update

from sync.server.bootstrap import open_central
from sync.server.cli.demo import import_demo_school
from sync.server.core.database import CentralDatabase
from sync.server.devices import provisioning as admin
from sync.server.models import CentralChild, School
from sync.server.operations import central_backups
from sync.server.operations.backup_store import (
    BackupFailed,
    manifest_path,
    newest_good,
    read_checks,
    size_and_digest,
)
from tests.conftest import START
from tests.sync.conftest import new_database_url


@pytest.fixture(scope="module")
def template(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated central database with one demo school, made once per backend and copied per test."""
    url = new_database_url(backend, request, tmp_path_factory.mktemp("template"))
    central = open_central(url)
    with central.writes() as session:
        school = admin.create_school(session, "备份小学")
        import_demo_school(session, school.id, START, seed=4242)
        session.commit()
    central.engine.dispose()
    return url


@pytest.fixture
def database(template: str, tmp_path: Path) -> Iterator[CentralDatabase]:
    """A central database of its own (no server holds it open), a copy of the template."""
    source = make_url(template)
    if source.get_backend_name() == "sqlite":
        copy = tmp_path / "central.sqlite3"
        shutil.copyfile(str(source.database), copy)
        url = f"sqlite:///{copy}"
    else:
        name = f"copy_{uuid.uuid4().hex[:8]}"
        server = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE {name} TEMPLATE "{source.database}"'))
        server.dispose()
        url = source.set(database=name).render_as_string(False)
    central = open_central(url, migrate=False)
    yield central
    central.engine.dispose()


def place(database: CentralDatabase, tmp_path: Path) -> central_backups.BackupPlace:
    return central_backups.place_of(database.engine.url.render_as_string(False), tmp_path / "backups")


def children(database: CentralDatabase) -> int:
    with database.reads() as session:
        return session.scalar(select(func.count()).select_from(CentralChild)) or 0


def child_names(database: CentralDatabase) -> list[str]:
    with database.reads() as session:
        return sorted(session.scalars(select(CentralChild.name)))


def test_a_backup_is_private_counted_and_rotated(database: CentralDatabase, tmp_path: Path) -> None:
    where = place(database, tmp_path)
    first, _ = central_backups.make(where, database.engine)
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(manifest_path(first.path).stat().st_mode) == 0o600
    assert stat.S_IMODE(where.folder.stat().st_mode) == 0o700
    assert first.manifest is not None and first.manifest.counts["children"] == children(database)
    assert first.manifest.revision is not None

    for day in range(1, 5):  # four more nights, kept three deep (installed: fourteen)
        later = datetime.now(UTC) + timedelta(days=day)
        central_backups.make(where, database.engine, keep_daily=3, now=later)
    central_backups.make(where, database.engine, reason="upgrade", keep_daily=3)
    kept = central_backups.backups_of(where)
    assert [b.reason for b in kept].count("daily") == 3 and [b.reason for b in kept].count("upgrade") == 1
    assert first.path not in [b.path for b in kept] and not manifest_path(first.path).exists()


def test_a_restore_puts_back_exactly_what_the_backup_held(database: CentralDatabase, tmp_path: Path) -> None:
    where = place(database, tmp_path)
    made, _ = central_backups.make(where, database.engine)
    names = child_names(database)
    with database.writes() as session:  # the day after the backup: a child renamed, a school added
        session.execute(update(CentralChild).where(CentralChild.name == names[0]).values(name="王𠈌"))
        admin.create_school(session, "后来的学校")
        session.commit()
    assert child_names(database) != names

    said = central_backups.restore(where, database.engine, central_backups.find(where, made.path.name))
    assert made.path.name in said
    again = open_central(where.url, migrate=False)
    try:
        assert child_names(again) == names
        with again.reads() as session:
            assert session.scalars(select(School.name)).all() == ["备份小学"]
    finally:
        again.engine.dispose()


def test_a_backup_that_changed_since_it_was_made_is_refused(
    database: CentralDatabase, tmp_path: Path
) -> None:
    where = place(database, tmp_path)
    made, _ = central_backups.make(where, database.engine)
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupFailed, match="not the file its manifest describes"):
        central_backups.restore(where, database.engine, central_backups.find(where, made.path.name))
    assert newest_good(where.folder, where.stem) is None  # cut short: no longer "good"


def test_a_damaged_dump_fails_half_way_and_leaves_the_database_as_it_was(
    backend: str, database: CentralDatabase, tmp_path: Path
) -> None:
    """Even a dump whose manifest agrees with it (damaged before its manifest was written): pg_restore
    stops half-way, and the one transaction around the restore leaves every table as it was."""
    if backend != "postgresql":
        pytest.skip("SQLite's restore checks the whole file before it replaces anything")
    where = place(database, tmp_path)
    made, _ = central_backups.make(where, database.engine)
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) * 2 // 3])
    manifest = json.loads(manifest_path(made.path).read_text())
    manifest["size"], manifest["sha256"] = size_and_digest(made.path)
    manifest_path(made.path).write_text(json.dumps(manifest))
    with database.writes() as session:
        admin.create_school(session, "备份之后")
        session.commit()

    with pytest.raises(BackupFailed, match="left as it was"):
        central_backups.restore(where, database.engine, central_backups.find(where, made.path.name))
    with database.reads() as session:
        assert sorted(session.scalars(select(School.name))) == ["备份之后", "备份小学"]
    assert children(database) > 0


def test_the_weekly_check_restores_and_compares_counts(database: CentralDatabase, tmp_path: Path) -> None:
    where = place(database, tmp_path)
    central_backups.make(where, database.engine)
    result = central_backups.check(where)
    assert result.ok, result.problems
    assert result.tables["children"] == (children(database), children(database))

    # a backup whose manifest says more than it holds (rows lost on the way to disk) fails the check
    damaged, _ = central_backups.make(where, database.engine, now=datetime.now(UTC) + timedelta(hours=1))
    manifest = json.loads(manifest_path(damaged.path).read_text())
    manifest["counts"]["children"] += 3
    manifest_path(damaged.path).write_text(json.dumps(manifest))
    failed = central_backups.check(where)
    assert not failed.ok and failed.backup == damaged.path.name
    assert any("children" in problem for problem in failed.problems)
    assert [c.ok for c in read_checks(where.folder)] == [False, True]
    # the newest good backup is the one before: a failed check takes a backup out of "good"
    good = newest_good(where.folder, where.stem)
    assert good is not None and good.path.name == result.backup


def test_counts_are_taken_in_the_dump_s_own_snapshot_while_kiosks_write(
    backend: str, database: CentralDatabase, tmp_path: Path
) -> None:
    """Schools keep arriving while the backup runs: the manifest counts what the backup holds."""
    if backend != "postgresql":
        pytest.skip("SQLite's backup API copies one snapshot; its counts are read from the copy itself")
    where = place(database, tmp_path)
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            with database.writes() as session:
                admin.create_school(session, f"学校{uuid.uuid4().hex[:6]}")
                session.commit()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made, _ = central_backups.make(where, database.engine)
        result = central_backups.check(where)
    finally:
        stop.set()
        writer.join()
    assert result.ok, result.problems
    assert made.manifest is not None
    with database.reads() as session:
        assert (session.scalar(select(func.count()).select_from(School)) or 0) > made.manifest.counts[
            "schools"
        ]
