"""a child's guardian type may be unknown (the school's roster did not give it)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

The school's server keeps a fact its roster does not give as unknown instead of guessing one, and sends
it so (sync.wire.ChildRow); the kiosk never shows the guardian type, it only keeps the row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_GUARDIAN = sa.Enum(
    "grandparents",
    "one_parent",
    "relatives_friends",
    "single_parent_or_orphan",
    name="guardiantype",
    native_enum=False,
    create_constraint=True,
    length=24,
)


def upgrade() -> None:
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.alter_column("guardian_type", existing_type=_GUARDIAN, nullable=True)


def downgrade() -> None:
    op.execute("UPDATE children SET guardian_type = 'one_parent' WHERE guardian_type IS NULL")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.alter_column("guardian_type", existing_type=_GUARDIAN, nullable=False)
