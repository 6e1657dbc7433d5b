"""the phone queue's new ways out (video instead, taken out by the teacher); a child records her own letter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A child who chooses a video call leaves the phone queue (QueueExit.VIDEO_INSTEAD), and the duty teacher
may take a child out of it (QueueExit.REMOVED): the CHECK constraint on call_queue.exit takes both. A
letter home (家书) may be recorded by the child herself on her own screen, so family_letters has no
teacher then: logged_by_staff_id may be NULL. SQLite changes both by rebuilding the tables (batch mode),
rows kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_EXITS = ("calling", "missed", "gave_up", "signed_out", "room_closed")
_NEW_EXITS = (*_EXITS, "video_instead", "removed")


def _exit_type(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="queueexit", native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    with op.batch_alter_table("call_queue", schema=None) as batch_op:
        batch_op.alter_column(
            "exit", existing_type=_exit_type(_EXITS), type_=_exit_type(_NEW_EXITS), existing_nullable=True
        )
    with op.batch_alter_table("family_letters", schema=None) as batch_op:
        batch_op.alter_column("logged_by_staff_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("family_letters", schema=None) as batch_op:
        batch_op.alter_column("logged_by_staff_id", existing_type=sa.Uuid(), nullable=False)
    with op.batch_alter_table("call_queue", schema=None) as batch_op:
        batch_op.alter_column(
            "exit", existing_type=_exit_type(_NEW_EXITS), type_=_exit_type(_EXITS), existing_nullable=True
        )
