"""Bring a kiosk's SQLite file up to the current schema with Alembic, without losing what is in it.

A kiosk in the field is upgraded by replacing the code and restarting; the file it finds is whatever an
older version left. Migrations run with foreign keys off (SQLite cannot alter tables in place, so batch
migrations copy them, and a copy-and-swap would otherwise trip the checks), and the keys are verified
before anything is committed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class MigrationError(RuntimeError):
    pass


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` (default: the newest)."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        # On the DB-API connection, before SQLAlchemy begins: inside a transaction the pragma does nothing.
        raw = connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            before = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(config, revision)
            migrated = MigrationContext.configure(connection).get_current_revision() != before
            # foreign_key_check reads every reference (most of a second on five years of history,
            # at every start): only after a migration ran, which is what it guards
            if raw is not None and migrated:
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(f"migration left dangling references: {broken[:5]}")
        finally:
            if raw is not None:
                connection.rollback()  # end the read a revision check began: the pragma needs no transaction
                raw.execute("PRAGMA foreign_keys=ON")
