"""Backups of a PostgreSQL central database with PostgreSQL's own tools, and their restore.

A backup is `pg_dump --format=custom` (compressed, and pg_restore can pick from it). The rows are
counted table by table in the very snapshot pg_dump copies: a REPEATABLE READ transaction exports its
snapshot, counts, and stays open while pg_dump reads through `--snapshot`. So the manifest's counts
are exactly what the backup holds, however busy the kiosks are at 02:00, and the weekly check can
compare a restore with them to the row.

A restore replaces the database's tables in one transaction: the script pg_restore writes is fed to
psql between BEGIN and a COMMIT that is sent only once pg_restore has read the whole backup. A backup
that turns out to be cut short or damaged half-way leaves the database exactly as it was.

The password, if the URL has one, goes to the tools in their environment (PGPASSWORD), never on their
command line where `ps` shows it to every user of the machine; better, it lives in ~/.pgpass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, make_url, text

from db.private_files import FILE_MODE, private_folder
from sync.server.operations.backup_store import (
    BackupFailed,
    Manifest,
    StoredBackup,
    backup_name,
    fsync_folder,
    manifest_path,
    size_and_digest,
    verify,
    write_private,
)

STEM = "central"
VERSION_TABLE = "alembic_version_central"
SCRATCH_SUFFIX = "_restore_check"


def libpq_environment(url: str, database: str | None = None) -> dict[str, str]:
    """The connection settings of a SQLAlchemy URL as libpq's environment variables."""
    parsed = make_url(url)
    settings = {
        "PGHOST": parsed.host or str(parsed.query.get("host") or ""),
        "PGPORT": str(parsed.port or parsed.query.get("port") or ""),
        "PGUSER": parsed.username or "",
        "PGPASSWORD": parsed.password or "",
        "PGDATABASE": database or parsed.database or "",
        "PGSSLMODE": str(parsed.query.get("sslmode") or ""),
        "PGAPPNAME": "liushou-backup",
    }
    return {**os.environ, **{key: value for key, value in settings.items() if value}}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def table_counts(connection: Connection) -> dict[str, int]:
    names = connection.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).all()
    return {
        name: int(connection.scalar(text(f'SELECT count(*) FROM public."{name}"')) or 0) for name in names
    }


def schema_revision(connection: Connection) -> str | None:
    if connection.scalar(text(f"SELECT to_regclass('public.{VERSION_TABLE}')")) is None:
        return None
    return connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))


def dump(engine: Engine, url: str, folder: Path, reason: str, now: datetime | None = None) -> StoredBackup:
    """A backup of the whole database into `folder`, with its manifest."""
    made_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    final = folder / backup_name(STEM, reason, made_at, "dump")
    partial = final.with_name(final.name + ".part")
    private_folder(folder)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE))
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
                counts = table_counts(connection)
                revision = schema_revision(connection)
                _run(
                    [tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={partial}"],
                    libpq_environment(url),
                )
        size, digest = size_and_digest(partial, sync=True)
        os.replace(partial, final)
        fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    manifest = Manifest("postgresql", made_at, reason, size, digest, revision, counts)
    write_private(manifest_path(final), manifest.to_json())
    return StoredBackup(final, reason, made_at, manifest)


def other_sessions(engine: Engine) -> int:
    """Connections to this database besides ours: a running server holds some."""
    with engine.connect() as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            )
            or 0
        )


def restore(url: str, backup: Path) -> None:
    """Replace every table of the database with the backup's, all at once or not at all."""
    verify(backup)
    environment = libpq_environment(url)
    reading = subprocess.Popen(
        [tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(backup)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    writing = subprocess.Popen(
        [tool("psql"), "--no-psqlrc", "--quiet", "--output=/dev/null", "-v", "ON_ERROR_STOP=1", "--file=-"],
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert reading.stdout is not None and writing.stdin is not None
    try:
        writing.stdin.write(
            b"SET client_min_messages = warning;\nBEGIN;\n"
            b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
        )
        shutil.copyfileobj(reading.stdout, writing.stdin, 1 << 20)
        read_ok = reading.wait() == 0
        if read_ok:
            writing.stdin.write(b"COMMIT;\n")
    except BrokenPipeError:  # psql stopped at an error; it says which below
        read_ok = False
        reading.kill()
        reading.wait()
    finally:
        with contextlib.suppress(BrokenPipeError):
            writing.stdin.close()
    written_ok = writing.wait() == 0
    if not (read_ok and written_ok):
        said = _said(reading.stderr) + _said(writing.stderr)
        raise BackupFailed(
            f"could not restore {backup.name}; the database was left as it was: {said.strip()}"
        )


def counted_restore(url: str, backup: Path) -> tuple[dict[str, int], str | None]:
    """The backup restored into a new database of its own and counted there (rows per table, schema
    revision); the scratch database is dropped afterwards, whatever happened."""
    verify(backup)
    parsed = make_url(url)
    scratch = f"{parsed.database}{SCRATCH_SUFFIX}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            connection.execute(text(f'CREATE DATABASE "{scratch}"'))
        _run(
            [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             f"--dbname={scratch}", str(backup)],
            libpq_environment(url, scratch),
        )  # fmt: skip
        checking = create_engine(parsed.set(database=scratch))
        try:
            with checking.connect() as connection:
                return table_counts(connection), schema_revision(connection)
        finally:
            checking.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        admin.dispose()


def _run(command: list[str], environment: dict[str, str]) -> None:
    started = time.monotonic()
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        name = Path(command[0]).name
        raise BackupFailed(
            f"{name} failed after {time.monotonic() - started:.0f} s: {done.stderr.strip()[-1500:]}"
        )


def _said(stream: object) -> str:
    try:
        return stream.read().decode(errors="replace")[-1500:]  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return ""
