"""The care network: who is whose 代理家长 (pairs), what they recorded (谈心, 家访, contact with the
family), the photos of home visits and of the school's activity news (活动信息), and counselling.

None of these is a `CentralRow`: kiosks never pull them (a counselling record must never reach a
kiosk, and the room has no use for the others). Rows are kept when a pair ends or a child leaves:
the teachers' year-end appraisal counts past records, so a pair ends by its `ends_on`, never by a
delete. A child's erasure blanks the free text and deletes the photos, and keeps kind, day and author
so past counts stay as they were (sync.server.office.care.care_erasure).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.types import str_enum
from sync.server.models.base import CentralBase


class CareCadence(StrEnum):
    """How often a school wants a 谈心 (or a call to the family): the seeds say weekly (003:L88),
    every half month (003:L348) or monthly (002:L188), school by school."""

    WEEKLY = "weekly"  # Monday to Sunday
    HALF_MONTHLY = "half_monthly"  # the 1st to the 15th, the 16th to the month's end
    MONTHLY = "monthly"  # calendar months


class CareKind(StrEnum):
    TALK = "talk"  # 谈心
    VISIT = "visit"  # 家访
    CONTACT = "contact"  # 与临时监护人或父母联系


class TalkTopic(StrEnum):
    """「了解他们的学习、生活、情绪、交友、身体等方面的情况」 (003:L89)."""

    STUDY = "study"
    LIFE = "life"
    FEELINGS = "feelings"
    FRIENDS = "friends"
    HEALTH = "health"


class FamilyParty(StrEnum):
    """Whom a teacher kept in touch with (三沟通): the guardian at home or a parent away."""

    GUARDIAN = "guardian"
    FATHER = "father"
    MOTHER = "mother"


class ContactChannel(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    MEETING = "meeting"  # face to face (at school, at the gate)
    MESSAGE = "message"  # 短信、微信


class CarePair(CentralBase):
    """A teacher (an office account) as 代理家长: of one child, or — a class pair — as 班主任 of a
    class, for every child of it who has no pair of their own. From `starts_on` to `ends_on`
    (inclusive; open while None)."""

    __tablename__ = "care_pairs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"), index=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("children.id"), index=True)
    class_name: Mapped[str | None] = mapped_column(String(40))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("(child_id IS NULL) <> (class_name IS NULL)", name="child_or_class"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )


class CareRecord(CentralBase):
    """One 谈心, 家访 or contact with the family, by its author, about one child, on one day.

    The author may correct it for seven days after `created_at` (sync.server.office.care.records);
    then it is locked. Every change is in the audit log."""

    __tablename__ = "care_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"))
    kind: Mapped[CareKind] = mapped_column(str_enum(CareKind))
    on_day: Mapped[date]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # TalkTopic values
    minutes: Mapped[int | None]  # a talk's duration
    met: Mapped[str | None] = mapped_column(String(80))  # a visit: who was met
    party: Mapped[FamilyParty | None] = mapped_column(str_enum(FamilyParty))
    channel: Mapped[ContactChannel | None] = mapped_column(str_enum(ContactChannel))
    notes: Mapped[str] = mapped_column(Text, default="")  # what was said
    created_at: Mapped[datetime]
    changed_at: Mapped[datetime]

    # Covering indexes, in the order the figures group by: a year of a big school's records is read
    # from the index alone, already grouped (sync.server.reports.care_progress.record_days), and a
    # child's last record of each kind is the end of a range.
    __table_args__ = (
        Index("ix_care_records_school_child_kind_day", "school_id", "child_id", "kind", "on_day"),
        Index(
            "ix_care_records_school_author_child_kind_day",
            "school_id",
            "author_id",
            "child_id",
            "kind",
            "on_day",
        ),
    )


class ActivityPost(CentralBase):
    """活动信息: a piece of activity news the school reports (at least two a month, 003:L40)."""

    __tablename__ = "activity_posts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"))
    title: Mapped[str] = mapped_column(String(80))
    on_day: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]

    __table_args__ = (Index("ix_activity_posts_school_day", "school_id", "on_day"),)


class CarePhoto(CentralBase):
    """A photo as stored: re-encoded JPEG, resized, with no EXIF (no place, no camera), of a home visit
    (`record_id`) or of activity news (`post_id`, with the school and the activity drawn on it)."""

    __tablename__ = "care_photos"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_records.id"), index=True)
    post_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity_posts.id"), index=True)
    width: Mapped[int]
    height: Mapped[int]
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("(record_id IS NULL) <> (post_id IS NULL)", name="record_or_post"),)


class CounsellingRecord(CentralBase):
    """心理咨询记录卡. 「绝对保密」 (003:L229): only the school's counsellors read `content` and
    `follow_up`; others may learn that a record exists and its day. Never pulled by a kiosk, never
    exported with a name; the bureau sees counts."""

    __tablename__ = "counselling_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    counsellor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("office_users.id"))
    on_day: Mapped[date]
    minutes: Mapped[int | None]
    content: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    changed_at: Mapped[datetime]

    __table_args__ = (Index("ix_counselling_records_school_day", "school_id", "on_day"),)


def record_details(record: CareRecord) -> dict[str, Any]:
    """The fields a correction may change, for comparing before and after (the audit names them)."""
    return {
        "on_day": record.on_day,
        "topics": sorted(record.topics or []),
        "minutes": record.minutes,
        "met": record.met,
        "party": record.party,
        "channel": record.channel,
        "notes": record.notes,
    }
