"""the change number a school's rules were last set under, so its kiosks pull them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

A school that had already set its rules gets the next number of its change sequence, so its kiosks
pull them once; the others stay at 0 (nothing to send: the kiosks' defaults are the school's).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite allows it with a constant default): copying the table the batch way
    # would drop `schools`, which every other table's foreign keys point at.
    op.add_column("schools", sa.Column("settings_seq", sa.BigInteger(), server_default="0", nullable=False))
    schools = sa.table(
        "schools",
        sa.column("id", sa.Uuid()),
        sa.column("settings", sa.JSON()),
        sa.column("change_seq", sa.BigInteger()),
        sa.column("settings_seq", sa.BigInteger()),
    )
    connection = op.get_bind()
    for school_id, settings, change_seq in connection.execute(
        sa.select(schools.c.id, schools.c.settings, schools.c.change_seq)
    ):
        if settings:
            connection.execute(
                schools.update()
                .where(schools.c.id == school_id)
                .values(change_seq=change_seq + 1, settings_seq=change_seq + 1)
            )


def downgrade() -> None:
    op.drop_column("schools", "settings_seq")
