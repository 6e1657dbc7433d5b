"""A kiosk in the field upgrades its SQLite file in place; these tests keep that path honest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from db.engine import make_engine
from db.migrate import MIGRATIONS_DIR, current_revision, head_revision, upgrade
from db.models import Base
from kiosk.services.database_open import open_database
from tests.conftest import database_state
from tests.support.schema_diff import schema_differences


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """The kiosk's database is SQLite only (its migrations hold SQLite triggers); the server's schema is
    checked on SQLite and PostgreSQL in tests/sync/test_schema.py. Primary keys are compared too."""
    engine = make_engine(tmp_path / "k.sqlite3")
    upgrade(engine)
    with engine.connect() as connection:
        diff = schema_differences(connection, Base.metadata)
    assert diff == [], f"models and migrations disagree; add a migration: {diff}"


def test_upgrade_is_idempotent_and_keeps_data(db_path: Path) -> None:
    engine = make_engine(db_path)
    before = database_state(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert database_state(engine) == before


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_every_old_schema_upgrades_with_its_data(tmp_path: Path) -> None:
    """For each past revision: a file at that revision, holding a day of the room's data, reaches head
    without losing a row. The data is written with plain SQL, as the old code would have."""
    revisions = revisions_oldest_first()
    for old in revisions:
        path = tmp_path / f"at-{old}.sqlite3"
        engine = make_engine(path)
        upgrade(engine, old)
        with sqlite3.connect(path) as raw:
            _write_a_day_at_0001_schema(raw)  # tables of later revisions start empty in old files
        counts_before = _counts(path)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        counts_after = _counts(path)
        assert {t: counts_after[t] for t in counts_before} == counts_before  # no row lost
        assert set(counts_after) >= set(counts_before)
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        engine.dispose()
        open_database(path).engine.dispose()  # the kiosk opens the upgraded file as usual


def _write_a_day_at_0001_schema(raw: sqlite3.Connection) -> None:
    child, contact, staff, item, copy = (f"{n:032x}" for n in range(1, 6))
    raw.executescript(f"""
        INSERT INTO children VALUES ('{child}', '张小明', '三年级(2)班', 3, '2017-05-01', 'grandparents', 1);
        INSERT INTO contacts VALUES ('{contact}', '{child}', 'father', '张建国', '13800001234', 1);
        INSERT INTO staff VALUES ('{staff}', '王丽', 'administrator', 'scrypt$x', 1);
        INSERT INTO cards VALUES ('04A2B3C4', '{child}', NULL, 'active', '2026-09-01 00:00:00.000000');
        INSERT INTO catalogue_items VALUES ('{item}', 'book', '草房子', '曹文轩', NULL, 2500, 1);
        INSERT INTO copies VALUES ('{copy}', '{item}', 'TS000001', 'in_service', NULL);
        INSERT INTO device_identity VALUES (1, '{"f" * 32}', 4, '2026-09-01 00:00:00.000000');
        INSERT INTO visits VALUES ('{"a" * 32}', '{child}', '2026-09-02 08:00:00.000000', NULL, NULL, 'b', 1);
        INSERT INTO family_calls VALUES ('{"c" * 32}', '{child}', '{contact}', 'phone', 'outgoing',
            'miss_family', '2026-09-02 08:05:00.000000', '2026-09-02 08:09:00.000000', 'hung_up', NULL);
        INSERT INTO loans VALUES ('{"d" * 32}', '{copy}', '{child}', '2026-09-02 08:10:00.000000',
            '2026-09-16 15:59:59.999999', NULL, NULL, NULL);
        INSERT INTO outbox_events VALUES ('{"e" * 32}', '{"f" * 32}', 1, 'visit.signed_in', '{{}}',
            '2026-09-02 08:00:00.000000', 'b', 1, NULL);
    """)


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        tables = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
