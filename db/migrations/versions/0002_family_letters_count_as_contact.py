"""family letters count as contact: 写信或通话 both keep a child in touch

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "family_letters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "sent",
                "received",
                name="letterdirection",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("recorded_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("logged_by_staff_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_family_letters_child_id_children")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_family_letters_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_staff_id"], ["staff.id"], name=op.f("fk_family_letters_logged_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_letters")),
    )
    with op.batch_alter_table("family_letters", schema=None) as batch_op:
        batch_op.create_index("ix_family_letters_child_recorded", ["child_id", "recorded_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("family_letters", schema=None) as batch_op:
        batch_op.drop_index("ix_family_letters_child_recorded")
    op.drop_table("family_letters")
