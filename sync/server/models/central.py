"""The roster, staff, cards and catalogue as the centre holds them: the authority the kiosks pull.

Columns mirror the kiosk's tables (db.models) so a row travels as is (sync.wire). Rows are never
deleted: a child who leaves, a withdrawn book or a lost card is a change of `active`/`status`, which a
cursor can carry; a deleted row would simply never reach the kiosks.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import CardStatus, CopyStatus, GuardianType, ItemKind, Relation, StaffRole
from db.limits import BARCODE_MAX, CARD_UID_MAX
from db.types import str_enum
from sync.server.models.base import CentralBase, CentralRow


def _pull_index(table: str) -> Index:
    return Index(f"ix_{table}_school_change", "school_id", "change_seq")


class Gender(StrEnum):
    MALE = "male"  # 男
    FEMALE = "female"  # 女


class CareAssessment(StrEnum):
    """监护情况评估 as the national statistics form counts it."""

    GOOD = "good"  # 较好
    FAIR = "fair"  # 一般
    POOR = "poor"  # 差


class CentralChild(CentralRow, CentralBase):
    """A child on the school's roster of left-behind children (花名册).

    The columns after `active` stay on the server: the kiosk needs none of them (sync.wire.ChildRow
    names what travels). Which parent works away, and whether the one at home can care for the child,
    are kept rather than a yes/no flag, because the official count (农村留守儿童) depends on them: one
    parent away and the other at home and able is not counted there, though the room serves the child.
    A fact the school has not given is None (shown as 未填), never a guess: the official count lists
    such children for the clerk to complete.

    ID numbers (身份证号), addresses and income are never stored, even when a roster file has them.
    The national student number is "G" and the ID number, so it is kept only as a keyed hash
    (`student_no_hash`, for knowing the child again at the next import: sync.server.core.student_numbers)
    and what the office shows (`student_no`: a school's own short number as it is, a national one as
    G****4072).
    """

    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(40))
    class_name: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int]
    birthday: Mapped[date | None]
    guardian_type: Mapped[GuardianType | None] = mapped_column(str_enum(GuardianType))
    active: Mapped[bool] = mapped_column(default=True)
    student_no: Mapped[str | None] = mapped_column(String(20))  # as the office shows it
    student_no_hash: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender))
    father_away: Mapped[bool | None]
    mother_away: Mapped[bool | None]
    home_parent_unable: Mapped[bool | None]  # 在家一方无监护能力 (重病、重残 …)
    care: Mapped[CareAssessment | None] = mapped_column(str_enum(CareAssessment))
    # On the roster from this day; `left_on` is the day the child left (deactivated).
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]
    # Personal data erased after the retention period; the row stays for past reports' counts.
    erased_at: Mapped[datetime | None]

    __table_args__ = (
        _pull_index("children"),
        UniqueConstraint("school_id", "student_no_hash"),
    )


class SchoolClass(CentralBase):
    """A class of the school (班级). A roster naming a class the school does not have offers it in the
    preview, to be made only when the clerk leaves it ticked: a typo does not silently make a class."""

    __tablename__ = "school_classes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("school_id", "name"),)


class ClassPlacement(CentralBase):
    """Which class a child was in from a given day: rosters are kept per class per semester, and a
    semester's statistics count children in the class they were in then, not after promotion."""

    __tablename__ = "class_placements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    class_name: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int]
    valid_from: Mapped[date]


class CentralContact(CentralRow, CentralBase):
    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    relation: Mapped[Relation] = mapped_column(str_enum(Relation))
    relation_word: Mapped[str | None] = mapped_column(String(12))  # as the school wrote it: 外婆, 伯父 …
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(24))
    allowed_to_call: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (_pull_index("contacts"),)


class CentralStaff(CentralRow, CentralBase):
    __tablename__ = "staff"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (_pull_index("staff"),)


class CentralCard(CentralRow, CentralBase):
    """Card UIDs are 4-7 bytes: unique within a school, not across a county, hence the composite key."""

    __tablename__ = "cards"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    uid: Mapped[str] = mapped_column(String(CARD_UID_MAX), primary_key=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("children.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[CardStatus] = mapped_column(str_enum(CardStatus), default=CardStatus.ACTIVE)
    registered_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("(child_id IS NULL) <> (staff_id IS NULL)", name="exactly_one_owner"),
        _pull_index("cards"),
    )


class CentralCatalogueItem(CentralRow, CentralBase):
    __tablename__ = "catalogue_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind))
    title: Mapped[str] = mapped_column(String(120))
    author: Mapped[str | None] = mapped_column(String(80))
    isbn: Mapped[str | None] = mapped_column(String(17))
    price_fen: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (_pull_index("catalogue_items"),)


class CentralCopy(CentralRow, CentralBase):
    __tablename__ = "copies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(BARCODE_MAX))
    status: Mapped[CopyStatus] = mapped_column(str_enum(CopyStatus), default=CopyStatus.IN_SERVICE)
    acquired_on: Mapped[date | None]

    __table_args__ = (UniqueConstraint("school_id", "barcode"), _pull_index("copies"))


CENTRAL_MODELS: dict[str, type[CentralRow]] = {
    model.__tablename__: model
    for model in (CentralStaff, CentralChild, CentralContact, CentralCatalogueItem, CentralCopy, CentralCard)
}
"""The central tables by name, parents first (the order of sync.wire.CENTRAL_TABLES)."""
