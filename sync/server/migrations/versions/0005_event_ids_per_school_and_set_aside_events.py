"""event and loan ids scoped per school; loan facts indexed for the double-lending check; set-aside events;
received_events without foreign keys (see the model)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Existing rows keep their ids: ids were unique across all schools before, so they are unique within each
school now. `loan_facts` gets the key its model always declared, (school_id, loan_id); 0001 created it on
loan_id alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_received_events_device_id_devices", type_="foreignkey")
        batch_op.drop_constraint("fk_received_events_school_id_schools", type_="foreignkey")
        batch_op.drop_constraint("pk_received_events", type_="primary")
        batch_op.create_primary_key("pk_received_events", ["school_id", "id"])

    with op.batch_alter_table("loan_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_loan_facts_copy_id")
        batch_op.drop_constraint("pk_loan_facts", type_="primary")
        batch_op.create_primary_key("pk_loan_facts", ["school_id", "loan_id"])
        batch_op.create_index(
            "ix_loan_facts_school_copy", ["school_id", "copy_id", "returned_at"], unique=False
        )

    op.create_table(
        "set_aside_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "unknown_event_type",
                "invalid_payload",
                "could_not_store",
                name="setasidereason",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("received_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "resolved",
                name="setasidestatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("resolved_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_set_aside_events_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_set_aside_events_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", "id", name=op.f("pk_set_aside_events")),
        sa.UniqueConstraint("device_id", "seq", name=op.f("uq_set_aside_events_device_id")),
    )
    with op.batch_alter_table("set_aside_events", schema=None) as batch_op:
        batch_op.create_index("ix_set_aside_events_school_status", ["school_id", "status"], unique=False)


def downgrade() -> None:
    """Back to 0004. Refused while two schools hold the same event or loan id: 0004 cannot store both."""
    with op.batch_alter_table("set_aside_events", schema=None) as batch_op:
        batch_op.drop_index("ix_set_aside_events_school_status")
    op.drop_table("set_aside_events")

    with op.batch_alter_table("loan_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_loan_facts_school_copy")
        batch_op.drop_constraint("pk_loan_facts", type_="primary")
        batch_op.create_primary_key("pk_loan_facts", ["loan_id"])
        batch_op.create_index(batch_op.f("ix_loan_facts_copy_id"), ["copy_id"], unique=False)

    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.drop_constraint("pk_received_events", type_="primary")
        batch_op.create_primary_key("pk_received_events", ["id"])
        batch_op.create_foreign_key("fk_received_events_school_id_schools", "schools", ["school_id"], ["id"])
        batch_op.create_foreign_key("fk_received_events_device_id_devices", "devices", ["device_id"], ["id"])
