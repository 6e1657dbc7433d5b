"""an event the server has not acknowledged may take a new sequence number (and nothing else)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

A kiosk restored from an old backup makes new events under sequence numbers the server already holds
for the events it made after that backup; sync.client.restored moves them after the server's last one.
Sent events stay untouched in every field, and no event changes its id, type, payload or times.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_FIELDS_BUT_SEQ = (
    "NEW.id IS NOT OLD.id OR NEW.device_id IS NOT OLD.device_id "
    "OR NEW.type IS NOT OLD.type OR NEW.payload IS NOT OLD.payload "
    "OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.boot_id IS NOT OLD.boot_id "
    "OR NEW.monotonic_ns IS NOT OLD.monotonic_ns"
)


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_events_immutable")
    op.execute(
        "CREATE TRIGGER outbox_events_immutable BEFORE UPDATE ON outbox_events "
        f"WHEN {_FIELDS_BUT_SEQ} "
        "OR (NEW.seq IS NOT OLD.seq AND (OLD.sent_at IS NOT NULL OR NEW.sent_at IS NOT NULL)) "
        "BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_events_immutable")
    op.execute(
        "CREATE TRIGGER outbox_events_immutable BEFORE UPDATE ON outbox_events "
        f"WHEN {_FIELDS_BUT_SEQ} OR NEW.seq IS NOT OLD.seq "
        "BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END"
    )
