"""kiosk sync state: server, cursor, last success and error, clock offset

One row once the kiosk is enrolled; an older file simply starts without it (not enrolled).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("singleton", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=200), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("enrolled_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("pull_cursor", sa.BigInteger(), nullable=False),
        sa.Column("roster_adopted", sa.Boolean(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("last_attempt_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("last_success_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("clock_offset_ms", sa.BigInteger(), nullable=True),
        sa.Column("clock_measured_at", db.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("singleton", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
