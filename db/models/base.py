"""Declarative base with a naming convention, so Alembic batch migrations on SQLite can find constraints."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Index, MetaData, Uuid, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase

from db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over only the rows matching `where` (SQLite and PostgreSQL both support these).

    Used for "open" rows — visits, calls and loans that have not ended — which stay few however long the
    history grows, and for "at most one open row per child/copy" rules the database itself enforces.
    """
    return Index(name, *columns, unique=unique, sqlite_where=text(where), postgresql_where=text(where))


class Returnable:
    """A loan, on the kiosk (`Loan`) or as the centre records it (`LoanRecord`): open until returned.

    `is_open` reads on a row in Python and as SQL in a query (`.where(Loan.is_open)`), so "still out" is
    written once for both."""

    returned_at: datetime | None

    @hybrid_property
    def is_open(self) -> bool:
        return self.returned_at is None

    @is_open.inplace.expression
    @classmethod
    def _is_open_sql(cls) -> ColumnElement[bool]:
        return cls.returned_at.is_(None)  # type: ignore[union-attr]
