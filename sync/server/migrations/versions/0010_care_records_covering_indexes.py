"""care records: covering indexes in the order the teacher table and the overdue lists group by

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

The table per teacher groups a semester's or a year's records by author, child and kind; the
overdue lists take each child's last record of each kind. With the day last in both indexes, SQLite
and PostgreSQL answer from the index alone, already in order (a year of a school of 2,000 children,
about 110,000 records: no sort, no table reads). They replace the two indexes 0008 made.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_care_records_school_child_day", table_name="care_records")
    op.drop_index("ix_care_records_school_author_day", table_name="care_records")
    op.create_index(
        "ix_care_records_school_child_kind_day", "care_records", ["school_id", "child_id", "kind", "on_day"]
    )
    op.create_index(
        "ix_care_records_school_author_child_kind_day",
        "care_records",
        ["school_id", "author_id", "child_id", "kind", "on_day"],
    )


def downgrade() -> None:
    op.drop_index("ix_care_records_school_author_child_kind_day", table_name="care_records")
    op.drop_index("ix_care_records_school_child_kind_day", table_name="care_records")
    op.create_index("ix_care_records_school_author_day", "care_records", ["school_id", "author_id", "on_day"])
    op.create_index("ix_care_records_school_child_day", "care_records", ["school_id", "child_id", "on_day"])
