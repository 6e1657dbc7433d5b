"""pin lockouts escalate: each lockout since the last right PIN lasts twice as long

Staff PIN hashes already on a kiosk are sealed with the device key when the kiosk next opens the file
(kiosk.services.database_open), not here: a migration has no device key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pin_attempts") as batch:
        batch.add_column(sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("pin_attempts") as batch:
        batch.drop_column("lockouts")
