"""Alembic environment of the central server; always handed a connection by sync.server.core.database."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sync.server.models import CentralBase

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=CentralBase.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        version_table="alembic_version_central",
    )
    with context.begin_transaction():
        context.run_migrations()


_run(config.attributes["connection"])
config.attributes["connection"].commit()
