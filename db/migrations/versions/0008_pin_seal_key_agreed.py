"""the id of the staff PIN seal key a kiosk agreed with its server

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

A kiosk enrolled before starts with none, and agrees its key at its next sync (sync.client).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_state", sa.Column("pin_seal_key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("pin_seal_key_id")
