"""Set-based writes that handle rows already there, the same way on SQLite and PostgreSQL.

A batch of five hundred events is one INSERT … ON CONFLICT statement (executed as multi-row VALUES by
SQLAlchemy's insertmanyvalues), not five hundred ORM objects flushed one by one. Both databases speak
the same ON CONFLICT dialect; only the construct that renders it differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"bulk writes are written for SQLite and PostgreSQL, not {dialect}")


def insert_new(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: ColumnElement[Any]
) -> list[Row[Any]]:
    """Insert the rows whose keys (primary or unique) are not taken yet; returns `returning` of the rows
    actually inserted. A row that clashes with a stored one is skipped, not an error: the caller sees
    which ones were skipped and decides whether that is a resend or a clash."""
    if not rows:
        return []
    statement = _insert(session, table).on_conflict_do_nothing().returning(returning)
    return list(session.execute(statement, list(rows)).all())


def insert_all(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the rows, skipping any whose primary or unique key is taken, in one executemany (no
    RETURNING: psycopg then sends one prepared statement for all rows instead of parsing one huge one).
    The caller checks afterwards what is there."""
    if rows:
        session.execute(_insert(session, table).on_conflict_do_nothing(), list(rows))


def upsert(session: Session, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert the rows, or overwrite the stored row with the same `key` with these values."""
    if not rows:
        return
    statement = _insert(session, table)
    changing = {name: statement.excluded[name] for name in rows[0] if name not in key}
    session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changing), list(rows))
