"""A server that kept national student numbers as typed ("G" and the ID number) is upgraded: each number
becomes its keyed hash and the last four characters, staged previews (which held names, phones and
numbers) are dropped, facts the old model could not leave open stay as they were, and afterwards the
ID numbers are nowhere in the database file or its write-ahead log. A key file that is not the one
the numbers were hashed with is refused at start, not silently used."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, BigInteger, Boolean, Engine, Integer, String, Uuid, column, insert, select, table

import db.types
from db.engine import pragma
from sync.server.bootstrap import open_central
from sync.server.cli.main import main as cli_main
from sync.server.cli.serving import OPTIONS_ENV, ServeOptions, app_from_environment
from sync.server.core.database import make_server_engine, upgrade
from sync.server.core.student_numbers import SecretMismatch, StudentKey
from sync.server.models import CentralChild, RosterImport
from tests.sync.conftest import new_database_url
from tests.sync.office.school_rosters import id_number

BEFORE = "0011"
SCHOOLS = table(
    "schools",
    column("id", Uuid()),
    column("name", String()),
    column("change_seq", BigInteger()),
    column("created_at", db.types.UTCDateTime()),
)
CHILDREN_AT_0006 = table(
    "children",
    *(column(n, Uuid()) for n in ("id", "school_id")),
    column("change_seq", BigInteger()),
    column("changed_at", db.types.UTCDateTime()),
    *(column(n, String()) for n in ("name", "class_name", "guardian_type", "student_no")),
    column("grade", Integer()),
    *(column(n, Boolean()) for n in ("active", "father_away", "mother_away", "home_parent_unable")),
)
USERS = table(
    "office_users",
    column("id", Uuid()),
    column("username", String()),
    column("display_name", String()),
    column("password_hash", String()),
    column("role", String()),
    column("school_id", Uuid()),
    column("active", Boolean()),
    column("may_view_children", Boolean()),
    column("locale", String()),
    column("created_at", db.types.UTCDateTime()),
    column("password_changed_at", db.types.UTCDateTime()),
)
CONTACTS = table(
    "contacts",
    *(column(n, Uuid()) for n in ("id", "school_id", "child_id")),
    column("change_seq", BigInteger()),
    column("changed_at", db.types.UTCDateTime()),
    *(column(n, String()) for n in ("relation", "name", "phone")),
    column("allowed_to_call", Boolean()),
)
IMPORTS = table(
    "roster_imports",
    column("id", Uuid()),
    column("school_id", Uuid()),
    column("user_id", Uuid()),
    column("created_at", db.types.UTCDateTime()),
    column("filename", String()),
    column("rows", JSON()),
    column("summary", JSON()),
)


@pytest.fixture
def old_server(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Engine, str]:
    url = new_database_url(backend, request, tmp_path)
    engine = make_server_engine(url)
    request.addfinalizer(engine.dispose)
    return engine, url


def test_national_numbers_become_a_keyed_hash_and_their_last_four(
    old_server: tuple[Engine, str], backend: str, tmp_path: Path
) -> None:
    engine, url = old_server
    upgrade(engine, BEFORE)
    now = datetime.now(UTC)
    school, user = uuid.uuid4(), uuid.uuid4()
    national = "G" + id_number("522623", datetime(2016, 5, 4).date(), 123)
    bare = id_number("341321", datetime(2015, 3, 3).date(), 45)
    local = "20190101"
    children = {national: uuid.uuid4(), bare: uuid.uuid4(), local: uuid.uuid4()}
    with engine.begin() as connection:
        connection.execute(insert(SCHOOLS), {"id": school, "name": "旧", "change_seq": 3, "created_at": now})
        connection.execute(
            insert(USERS),
            {
                "id": user, "username": "clerk", "display_name": "王老师", "password_hash": "x",
                "role": "school_admin", "school_id": school, "active": True, "may_view_children": True,
                "locale": "zh_CN", "created_at": now, "password_changed_at": now,
            },
        )  # fmt: skip
        for number, child_id in children.items():
            connection.execute(
                insert(CHILDREN_AT_0006),
                {
                    "id": child_id, "school_id": school, "change_seq": 1, "changed_at": now,
                    "name": "杨小满", "class_name": "三年级(1)班", "guardian_type": "grandparents",
                    "student_no": number, "grade": 3, "active": True, "father_away": True,
                    "mother_away": False, "home_parent_unable": False,
                },
            )  # fmt: skip
        connection.execute(  # the children table is copied and swapped: what points at it must hold
            insert(CONTACTS),
            {
                "id": uuid.uuid4(), "school_id": school, "child_id": children[national], "change_seq": 2,
                "changed_at": now, "relation": "grandparent", "name": "张桂花", "phone": "13800001111",
                "allowed_to_call": True,
            },
        )  # fmt: skip
        connection.execute(
            insert(IMPORTS),
            {
                "id": uuid.uuid4(), "school_id": school, "user_id": user, "created_at": now,
                "filename": "花名册.xlsx", "summary": {"what": "roster"},
                "rows": [{"line": 4, "values": {"student_no": bare, "name": "刘䶮"}}],
            },
        )  # fmt: skip

    key = StudentKey.load_or_create(tmp_path / "secret.key")
    upgrade(engine, student_key=key)
    if backend == "sqlite":  # the keys were off for the copy-and-swap, and are on again after it
        assert pragma(engine, "foreign_keys") == 1

    with engine.connect() as connection:
        kept = {
            row[0]: (row[1], row[2])
            for row in connection.execute(
                select(CentralChild.id, CentralChild.student_no, CentralChild.student_no_hash)
            )
        }
        staged = connection.execute(select(RosterImport.id)).all()
        away = connection.execute(
            select(CentralChild.father_away, CentralChild.mother_away, CentralChild.home_parent_unable)
        ).all()
    assert kept[children[national]] == ("G****" + national[-4:], key.digest(national))
    assert kept[children[bare]] == ("****" + bare[-4:], key.digest(bare))
    assert key.digest(national) == key.digest(national[1:])  # with or without the G: one child
    assert kept[children[local]] == (local, key.digest(local))
    assert staged == []
    assert set(away) == {(True, False, False)}  # what the school had said stays said
    if backend == "sqlite":
        engine.dispose()
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as raw:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        found = Path(path).read_bytes() + (
            Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b""
        )
        for number in (national, bare):
            assert number[-18:-1].encode() not in found


def test_another_key_file_is_refused_at_start(old_server: tuple[Engine, str], tmp_path: Path) -> None:
    _engine, url = old_server
    open_central(url, secret_file=tmp_path / "secret.key").engine.dispose()
    (tmp_path / "secret.key").rename(tmp_path / "lost.key")  # the key is lost
    with pytest.raises(SecretMismatch, match="secret.key"):
        open_central(url, secret_file=tmp_path / "secret.key")
    assert not (tmp_path / "secret.key").exists()  # no new key made in its place
    StudentKey.load_or_create(tmp_path / "other.key")
    with pytest.raises(SecretMismatch, match="other.key"):
        open_central(url, secret_file=tmp_path / "other.key")
    (tmp_path / "lost.key").rename(tmp_path / "secret.key")  # put back from the backup: starts again
    open_central(url, secret_file=tmp_path / "secret.key").engine.dispose()


def test_the_key_named_on_the_command_line_reaches_migrate_and_every_worker(
    old_server: tuple[Engine, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`--secret-file` is the key of `migrate` (a wrong one refused in one line) and of the app each
    worker of `serve --workers N` builds in its own process, whatever SYNC_SECRET_FILE says there."""
    _engine, url = old_server
    monkeypatch.setenv("SYNC_SECRET_FILE", str(tmp_path / "not-this-one.key"))
    chosen = tmp_path / "school" / "secret.key"
    assert cli_main(["--database", url, "--secret-file", str(chosen), "migrate"]) == 0
    StudentKey.load_or_create(tmp_path / "other.key")
    assert cli_main(["--database", url, "--secret-file", str(tmp_path / "other.key"), "migrate"]) == 2
    assert "is not the secret file" in capsys.readouterr().err

    options = ServeOptions(url, secret_file=str(chosen))
    monkeypatch.setenv(OPTIONS_ENV, json.dumps(asdict(options)))
    app = app_from_environment()  # what a worker process does
    try:
        assert app.state.database.student_key.path == chosen
    finally:
        app.state.database.engine.dispose()
    assert not (tmp_path / "not-this-one.key").exists()
