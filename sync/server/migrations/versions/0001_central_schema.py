"""central schema: schools, rooms, devices, enrolment, roster, catalogue, events, conflicts

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
        "schools",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
    )
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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_catalogue_items_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
    )
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_items_school_change", ["school_id", "change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_catalogue_items_school_id"), ["school_id"], unique=False)

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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_children_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index("ix_children_school_change", ["school_id", "change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_children_school_id"), ["school_id"], unique=False)

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "copy_lent_twice",
                "card_used_after_central_change",
                "card_registration_clash",
                "kiosk_change_superseded",
                "unknown_reference",
                name="conflictkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "cleared",
                "resolved",
                name="conflictstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("event_ids", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("detected_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("closed_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_conflicts_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint("school_id", "kind", "dedupe_key", name=op.f("uq_conflicts_school_id")),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_school_id"), ["school_id"], unique=False)

    op.create_table(
        "rooms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_rooms_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
    )
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rooms_school_id"), ["school_id"], unique=False)

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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_staff_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index("ix_staff_school_change", ["school_id", "change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_school_id"), ["school_id"], unique=False)

    op.create_table(
        "cards",
        sa.Column("school_id", sa.Uuid(), nullable=False),
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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(child_id IS NULL) <> (staff_id IS NULL)", name=op.f("ck_cards_exactly_one_owner")
        ),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_cards_child_id_children")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_cards_school_id_schools")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_cards_staff_id_staff")),
        sa.PrimaryKeyConstraint("school_id", "uid", name=op.f("pk_cards")),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index("ix_cards_school_change", ["school_id", "change_seq"], unique=False)

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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_contacts_child_id_children")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_contacts_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_child_id"), ["child_id"], unique=False)
        batch_op.create_index("ix_contacts_school_change", ["school_id", "change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_school_id"), ["school_id"], unique=False)

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
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalogue_items.id"], name=op.f("fk_copies_item_id_catalogue_items")
        ),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_copies_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copies")),
        sa.UniqueConstraint("school_id", "barcode", name=op.f("uq_copies_school_id")),
    )
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copies_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_copies_school_change", ["school_id", "change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_copies_school_id"), ["school_id"], unique=False)

    op.create_table(
        "devices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("last_seen_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("clock_offset_ms", sa.BigInteger(), nullable=True),
        sa.Column("clock_measured_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_devices_room_id_rooms")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_devices_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("token_id", name=op.f("uq_devices_token_id")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_school_id"), ["school_id"], unique=False)

    op.create_table(
        "enrolment_codes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("used_by_device_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_enrolment_codes_room_id_rooms")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_enrolment_codes_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrolment_codes_code_hash")),
    )
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_codes_school_id"), ["school_id"], unique=False)

    op.create_table(
        "device_boots",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("boot_id", sa.String(length=64), nullable=False),
        sa.Column("anchor_ns", sa.BigInteger(), nullable=False),
        sa.Column("measured_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_device_boots_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("device_id", "boot_id", name=op.f("pk_device_boots")),
    )
    op.create_table(
        "loan_facts",
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("copy_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("borrowed_event_id", sa.Uuid(), nullable=True),
        sa.Column("borrowed_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("returned_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_loan_facts_device_id_devices")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_loan_facts_school_id_schools")),
        sa.PrimaryKeyConstraint("loan_id", name=op.f("pk_loan_facts")),
    )
    with op.batch_alter_table("loan_facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loan_facts_copy_id"), ["copy_id"], unique=False)

    op.create_table(
        "received_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("boot_id", sa.String(length=64), nullable=False),
        sa.Column("monotonic_ns", sa.BigInteger(), nullable=False),
        sa.Column("corrected_at", db.types.UTCDateTime(), nullable=False),
        sa.Column(
            "time_basis",
            sa.Enum(
                "boot_anchor",
                "kiosk_clock",
                name="timebasis",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("received_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_received_events_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_received_events_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_events")),
        sa.UniqueConstraint("device_id", "seq", name=op.f("uq_received_events_device_id")),
    )
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.create_index("ix_received_events_school_type", ["school_id", "type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.drop_index("ix_received_events_school_type")

    op.drop_table("received_events")
    with op.batch_alter_table("loan_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_facts_copy_id"))

    op.drop_table("loan_facts")
    op.drop_table("device_boots")
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_codes_school_id"))

    op.drop_table("enrolment_codes")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_school_id"))

    op.drop_table("devices")
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copies_school_id"))
        batch_op.drop_index("ix_copies_school_change")
        batch_op.drop_index(batch_op.f("ix_copies_item_id"))

    op.drop_table("copies")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_school_id"))
        batch_op.drop_index("ix_contacts_school_change")
        batch_op.drop_index(batch_op.f("ix_contacts_child_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("ix_cards_school_change")

    op.drop_table("cards")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_school_id"))
        batch_op.drop_index("ix_staff_school_change")

    op.drop_table("staff")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rooms_school_id"))

    op.drop_table("rooms")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_school_id"))

    op.drop_table("conflicts")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_school_id"))
        batch_op.drop_index("ix_children_school_change")

    op.drop_table("children")
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_items_school_id"))
        batch_op.drop_index("ix_catalogue_items_school_change")

    op.drop_table("catalogue_items")
    op.drop_table("schools")
