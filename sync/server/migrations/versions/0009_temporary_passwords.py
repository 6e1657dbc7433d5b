"""office users given a temporary password (a new colleague's, a reset) must choose their own first

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Existing users chose their passwords long ago or were told to: none is marked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default (SQLite allows it): a batch copy would drop the table
    # other tables' foreign keys point at.
    op.add_column(
        "office_users",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("office_users", "must_change_password")
