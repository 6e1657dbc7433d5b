"""Children, the people they may call, staff and the cards that identify them.

Only what the room needs lives on the kiosk: no addresses, no workplaces, no counselling notes. The
central server is the authority for all of these rows; the kiosk receives them by sync.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import CardStatus, GuardianType, Relation, StaffRole
from db.limits import CARD_UID_MAX
from db.models.base import Base
from db.types import str_enum


class Child(Base):
    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(40))
    class_name: Mapped[str] = mapped_column(String(40))  # e.g. 三年级(2)班
    grade: Mapped[int]  # 1-6 primary, 7-9 junior middle; sorts classes
    birthday: Mapped[date | None]
    guardian_type: Mapped[GuardianType | None] = mapped_column(str_enum(GuardianType))  # None: not given
    active: Mapped[bool] = mapped_column(default=True)

    contacts: Mapped[list[Contact]] = relationship(back_populates="child", order_by="Contact.relation")

    __table_args__ = (Index("ix_children_class", "grade", "class_name"),)


class Contact(Base):
    """A person the child may be put through to (callee), with the phone number to dial.

    The number is shown on screen only while that child's call is open; it never goes into logs or
    outbox payloads (the callee's id is enough for the server).
    """

    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    relation: Mapped[Relation] = mapped_column(str_enum(Relation))
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(24))
    allowed_to_call: Mapped[bool] = mapped_column(default=True)

    child: Mapped[Child] = relationship(back_populates="contacts")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole))
    # On a kiosk: the server's scrypt hash sealed with the device key (db.pin_seal); never the PIN.
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Card(Base):
    """A card UID (spelled as `hardware.base.normalise_uid` spells it) and whose it is: a child or staff."""

    __tablename__ = "cards"

    uid: Mapped[str] = mapped_column(String(CARD_UID_MAX), primary_key=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("children.id"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[CardStatus] = mapped_column(str_enum(CardStatus), default=CardStatus.ACTIVE)
    registered_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("(child_id IS NULL) <> (staff_id IS NULL)", name="exactly_one_owner"),)


class PinAttempts(Base):
    """Wrong-PIN counter per staff member, kept on disk so pulling the plug does not reset a lockout.
    `lockouts` counts the lockouts since the last right PIN: each one lasts twice as long."""

    __tablename__ = "pin_attempts"

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    lockouts: Mapped[int] = mapped_column(default=0, server_default="0")
