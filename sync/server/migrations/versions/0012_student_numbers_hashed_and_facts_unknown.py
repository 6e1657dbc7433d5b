"""student numbers kept as a keyed hash and their last four; roster facts may be unknown; relation words;
remembered column choices; the key check

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25

A national student number is "G" and the child's ID number: each stored number becomes its keyed hash
(the key is the server's secret file, handed in by sync.server.core.database.upgrade) and what the
office shows (G****4072 when an ID number is in it, a school's own short number as it is). Staged
previews are dropped: they held numbers as typed, and names and phones. Which parent is away, whether
the one at home can care, and the guardian type may now be unknown (None); what the school had said
stays as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

import db.types
from sync.server.core.student_numbers import KEY_PURPOSE, StudentKey, shown

revision = "0012"
down_revision = "0011"
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
_CHILDREN = sa.table(
    "children",
    sa.column("id", sa.Uuid()),
    sa.column("student_no", sa.String()),
    sa.column("student_no_hash", sa.String()),
)


def upgrade() -> None:
    op.create_table(
        "key_checks",
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("purpose", name=op.f("pk_key_checks")),
    )
    op.create_table(
        "heading_choices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("heading", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("chosen_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_heading_choices_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heading_choices")),
        sa.UniqueConstraint("school_id", "what", "heading", name=op.f("uq_heading_choices_school_id")),
    )
    with op.batch_alter_table("heading_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_heading_choices_school_id"), ["school_id"], unique=False)

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relation_word", sa.String(length=12), nullable=True))

    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.add_column(sa.Column("student_no_hash", sa.String(length=64), nullable=True))
        batch_op.drop_constraint("uq_children_school_id", type_="unique")
        batch_op.alter_column("guardian_type", existing_type=_GUARDIAN, nullable=True)
        for name in ("father_away", "mother_away", "home_parent_unable"):
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True, server_default=None)

    _hash_student_numbers()
    op.execute("DELETE FROM roster_imports")

    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_children_school_id", ["school_id", "student_no_hash"])


def _hash_student_numbers() -> None:
    key: StudentKey | None = context.config.attributes.get("student_key")
    connection = op.get_bind()
    numbered = connection.execute(
        sa.select(_CHILDREN.c.id, _CHILDREN.c.student_no).where(_CHILDREN.c.student_no.is_not(None))
    ).all()
    if key is None:
        if numbered:
            raise RuntimeError("student numbers are to be hashed: upgrade through sync.server.core.database")
        return
    for child_id, number in numbered:
        connection.execute(
            _CHILDREN.update()
            .where(_CHILDREN.c.id == child_id)
            .values(student_no=shown(number)[:20], student_no_hash=key.digest(number))
        )
    checks = sa.table("key_checks", sa.column("purpose", sa.String()), sa.column("fingerprint", sa.String()))
    connection.execute(checks.insert().values(purpose=KEY_PURPOSE, fingerprint=key.fingerprint()))


def downgrade() -> None:
    """Back to the old columns: a school's own short numbers stay, national ones are gone (the hash
    cannot be undone, and G****4072 is no number); unknown facts become "no" again, as the old model
    had them."""
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_constraint("uq_children_school_id", type_="unique")
    op.execute("UPDATE children SET father_away = false WHERE father_away IS NULL")
    op.execute("UPDATE children SET mother_away = false WHERE mother_away IS NULL")
    op.execute("UPDATE children SET home_parent_unable = false WHERE home_parent_unable IS NULL")
    op.execute("UPDATE children SET guardian_type = 'one_parent' WHERE guardian_type IS NULL")
    op.execute("UPDATE children SET student_no = NULL WHERE student_no LIKE '%*%'")
    with op.batch_alter_table("children", schema=None) as batch_op:
        for name in ("father_away", "mother_away", "home_parent_unable"):
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("guardian_type", existing_type=_GUARDIAN, nullable=False)
        batch_op.drop_column("student_no_hash")
        batch_op.create_unique_constraint("uq_children_school_id", ["school_id", "student_no"])
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("relation_word")
    with op.batch_alter_table("heading_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heading_choices_school_id"))
    op.drop_table("heading_choices")
    op.drop_table("key_checks")
