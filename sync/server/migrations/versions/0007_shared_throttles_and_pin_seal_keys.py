"""state every worker shares in the database, and the PIN seal key agreed with each kiosk

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

- login_throttle: whose count a row is (username, address), so the school's administrator can lift an
  account's lockouts; its keys change meaning (an account, an account from one address, an address),
  so the counts of the old kind are dropped (they are minutes to a day old, and start again).
- enrolment_failures: the wrong enrolment codes, counted here instead of in one process's memory.
- devices: the staff PIN seal key agreed with each kiosk. Kiosks enrolled before have none; they agree
  one at their next sync, and until then the server withholds their verifiers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM login_throttle")
    op.add_column("login_throttle", sa.Column("username", sa.String(length=40), nullable=True))
    op.add_column("login_throttle", sa.Column("address", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_login_throttle_username"), "login_throttle", ["username"])
    op.create_table(
        "enrolment_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_failures")),
    )
    op.create_index(op.f("ix_enrolment_failures_at"), "enrolment_failures", ["at"])
    # Plain ADD COLUMNs: copying `devices` the batch way would drop a table others point at.
    op.add_column("devices", sa.Column("pin_seal_key", sa.String(length=64), nullable=True))
    op.add_column("devices", sa.Column("pin_seal_agreed_at", db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "pin_seal_agreed_at")
    op.drop_column("devices", "pin_seal_key")
    op.drop_index(op.f("ix_enrolment_failures_at"), table_name="enrolment_failures")
    op.drop_table("enrolment_failures")
    op.drop_index(op.f("ix_login_throttle_username"), table_name="login_throttle")
    op.drop_column("login_throttle", "address")
    op.drop_column("login_throttle", "username")
