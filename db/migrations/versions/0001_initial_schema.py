"""initial schema: roster, cards, staff, visits, calls, catalogue, loans, stocktakes, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "book",
                "periodical",
                "sports",
                "chess",
                "other",
                name="itemkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=True),
        sa.Column("isbn", sa.String(length=17), nullable=True),
        sa.Column("price_fen", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
    )
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalogue_items_kind"), ["kind"], unique=False)

    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("class_name", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column(
            "guardian_type",
            sa.Enum(
                "grandparents",
                "one_parent",
                "relatives_friends",
                "single_parent_or_orphan",
                name="guardiantype",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index("ix_children_class", ["grade", "class_name"], unique=False)

    op.create_table(
        "device_identity",
        sa.Column("singleton", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("next_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("singleton", name=op.f("pk_device_identity")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("boot_id", sa.String(length=40), nullable=False),
        sa.Column("monotonic_ns", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", db.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_outbox_events_seq")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_events_pending",
            ["seq"],
            unique=False,
            sqlite_where=sa.text("sent_at IS NULL"),
            postgresql_where=sa.text("sent_at IS NULL"),
        )

    # Outbox rows are immutable facts: only the acknowledgement may change, and an event the server
    # has not acknowledged can never be deleted (pruning old, sent events is allowed).
    op.execute(
        "CREATE TRIGGER outbox_events_immutable BEFORE UPDATE ON outbox_events "
        "WHEN NEW.id IS NOT OLD.id OR NEW.device_id IS NOT OLD.device_id OR NEW.seq IS NOT OLD.seq "
        "OR NEW.type IS NOT OLD.type OR NEW.payload IS NOT OLD.payload "
        "OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.boot_id IS NOT OLD.boot_id "
        "OR NEW.monotonic_ns IS NOT OLD.monotonic_ns "
        "BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER outbox_events_keep_unsent BEFORE DELETE ON outbox_events "
        "WHEN OLD.sent_at IS NULL "
        "BEGIN SELECT RAISE(ABORT, 'an unsent outbox event cannot be deleted'); END"
    )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "administrator",
                "duty_teacher",
                name="staffrole",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_table(
        "cards",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "lost",
                "retired",
                name="cardstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("registered_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(child_id IS NULL) <> (staff_id IS NULL)", name=op.f("ck_cards_exactly_one_owner")
        ),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_cards_child_id_children")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_cards_staff_id_staff")),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_cards")),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cards_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column(
            "relation",
            sa.Enum(
                "father",
                "mother",
                "temporary_guardian",
                "grandparent",
                "other_relative",
                name="relation",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("allowed_to_call", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_contacts_child_id_children"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_child_id"), ["child_id"], unique=False)

    op.create_table(
        "copies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "in_service",
                "damaged",
                "lost",
                "withdrawn",
                name="copystatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("acquired_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalogue_items.id"], name=op.f("fk_copies_item_id_catalogue_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copies")),
        sa.UniqueConstraint("barcode", name=op.f("uq_copies_barcode")),
    )
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copies_item_id"), ["item_id"], unique=False)

    op.create_table(
        "pin_attempts",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_pin_attempts_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_pin_attempts")),
    )
    op.create_table(
        "room_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("opened_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=False),
        sa.Column("closed_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["closed_by"], ["staff.id"], name=op.f("fk_room_sessions_closed_by_staff")),
        sa.ForeignKeyConstraint(["opened_by"], ["staff.id"], name=op.f("fk_room_sessions_opened_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_sessions")),
    )
    with op.batch_alter_table("room_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_sessions_opened_at"), ["opened_at"], unique=False)

    op.create_table(
        "stocktakes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("started_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.Uuid(), nullable=False),
        sa.Column("finished_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["started_by"], ["staff.id"], name=op.f("fk_stocktakes_started_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktakes")),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("signed_in_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("signed_out_at", db.types.UTCDateTime(), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "signed_out",
                "room_closed",
                "not_signed_out",
                name="visitend",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("boot_id", sa.String(length=40), nullable=False),
        sa.Column("monotonic_ns", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_visits_child_id_children")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_child_signed_in", ["child_id", "signed_in_at"], unique=False)
        batch_op.create_index("ix_visits_signed_in_at", ["signed_in_at"], unique=False)
        batch_op.create_index(
            "uq_visits_one_open_per_child",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text("end_reason IS NULL"),
            postgresql_where=sa.text("end_reason IS NULL"),
        )

    op.create_table(
        "family_calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("callee_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("phone", "video", name="callkind", native_enum=False, create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column(
            "direction",
            sa.Enum(
                "outgoing",
                "incoming",
                name="calldirection",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "miss_family",
                "schoolwork",
                "health",
                "birthday",
                "festival",
                "other",
                name="callreason",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("started_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", db.types.UTCDateTime(), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "hung_up",
                "time_limit",
                "closed_by_staff",
                name="callend",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("logged_by_staff_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["callee_id"], ["contacts.id"], name=op.f("fk_family_calls_callee_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_family_calls_child_id_children")
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_staff_id"], ["staff.id"], name=op.f("fk_family_calls_logged_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_calls")),
    )
    with op.batch_alter_table("family_calls", schema=None) as batch_op:
        batch_op.create_index("ix_family_calls_child_started", ["child_id", "started_at"], unique=False)
        batch_op.create_index("ix_family_calls_started_at", ["started_at"], unique=False)
        batch_op.create_index(
            "uq_family_calls_one_open_per_child",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_table(
        "loans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("copy_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("borrowed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("due_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("returned_at", db.types.UTCDateTime(), nullable=True),
        sa.Column(
            "return_condition",
            sa.Enum(
                "ok",
                "damaged",
                "lost",
                name="returncondition",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("compensation_fen", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_loans_child_id_children")),
        sa.ForeignKeyConstraint(["copy_id"], ["copies.id"], name=op.f("fk_loans_copy_id_copies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
    )
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.create_index("ix_loans_borrowed_at", ["borrowed_at"], unique=False)
        batch_op.create_index("ix_loans_child_borrowed", ["child_id", "borrowed_at"], unique=False)
        batch_op.create_index(
            "ix_loans_open_due",
            ["due_at"],
            unique=False,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.create_index(
            "uq_loans_one_open_per_copy",
            ["copy_id"],
            unique=True,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )

    op.create_table(
        "stocktake_scans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stocktake_id", sa.Uuid(), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column("scanned_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["stocktakes.id"],
            name=op.f("fk_stocktake_scans_stocktake_id_stocktakes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake_scans")),
        sa.UniqueConstraint("stocktake_id", "barcode", name=op.f("uq_stocktake_scans_stocktake_id")),
    )


def downgrade() -> None:
    op.drop_table("stocktake_scans")
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_loans_one_open_per_copy",
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.drop_index(
            "ix_loans_open_due",
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.drop_index("ix_loans_child_borrowed")
        batch_op.drop_index("ix_loans_borrowed_at")

    op.drop_table("loans")
    with op.batch_alter_table("family_calls", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_family_calls_one_open_per_child",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index("ix_family_calls_started_at")
        batch_op.drop_index("ix_family_calls_child_started")

    op.drop_table("family_calls")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_visits_one_open_per_child",
            sqlite_where=sa.text("end_reason IS NULL"),
            postgresql_where=sa.text("end_reason IS NULL"),
        )
        batch_op.drop_index("ix_visits_signed_in_at")
        batch_op.drop_index("ix_visits_child_signed_in")

    op.drop_table("visits")
    op.drop_table("stocktakes")
    with op.batch_alter_table("room_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_sessions_opened_at"))

    op.drop_table("room_sessions")
    op.drop_table("pin_attempts")
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copies_item_id"))

    op.drop_table("copies")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_child_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cards_staff_id"))
        batch_op.drop_index(batch_op.f("ix_cards_child_id"))

    op.drop_table("cards")
    op.drop_table("staff")
    op.drop_table("settings")
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_events_pending",
            sqlite_where=sa.text("sent_at IS NULL"),
            postgresql_where=sa.text("sent_at IS NULL"),
        )

    op.execute("DROP TRIGGER IF EXISTS outbox_events_keep_unsent")
    op.execute("DROP TRIGGER IF EXISTS outbox_events_immutable")
    op.drop_table("outbox_events")
    op.drop_table("device_identity")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index("ix_children_class")

    op.drop_table("children")
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_items_kind"))

    op.drop_table("catalogue_items")
