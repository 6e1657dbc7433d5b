"""What differs between a database built by the migrations and the SQLAlchemy models.

Alembic's autogenerate comparison covers tables, columns, types, nullability, indexes, unique and
foreign keys, but not primary keys: a model declaring (school_id, loan_id) while the migration built
loan_id alone went unnoticed. This adds the primary keys, so a drift of either kind fails a test.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection


def schema_differences(
    connection: Connection, metadata: MetaData, version_table: str = "alembic_version"
) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": version_table}
    )
    differences: list[Any] = list(compare_metadata(context, metadata))
    inspector = inspect(connection)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue  # already reported by compare_metadata
        built = inspector.get_pk_constraint(table.name)
        declared = {"name": table.primary_key.name, "columns": [c.name for c in table.primary_key.columns]}
        if (built["name"], built["constrained_columns"]) != (declared["name"], declared["columns"]):
            differences.append(("primary_key", table.name, built, declared))
    return differences
