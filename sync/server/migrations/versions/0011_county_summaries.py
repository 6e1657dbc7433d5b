"""summaries kept at intake for the county overview: daily visits and loans per school, each room
opening's minutes per day, and each child's days of visits per month

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The tables start empty; the server builds them from the record tables the first time it starts on
this version (sync.server.projections.summaries.rebuild_if_outdated), then keeps them at intake.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_room_figures",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("loans", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_daily_room_figures_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", "day", name=op.f("pk_daily_room_figures")),
    )
    op.create_table(
        "room_session_pieces",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opened_day", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_room_session_pieces_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", "session_id", "day", name=op.f("pk_room_session_pieces")),
    )
    op.create_index(
        "ix_room_session_pieces_school_opened_day",
        "room_session_pieces",
        ["school_id", "opened_day"],
        unique=False,
    )
    op.create_table(
        "child_visit_months",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_child_visit_months_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", "month", "child_id", name=op.f("pk_child_visit_months")),
    )


def downgrade() -> None:
    op.drop_table("child_visit_months")
    op.drop_index("ix_room_session_pieces_school_opened_day", table_name="room_session_pieces")
    op.drop_table("room_session_pieces")
    op.drop_table("daily_room_figures")
