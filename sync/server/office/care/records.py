"""谈心, 家访 and contacts with the family, as their authors record them.

The author may correct a record for seven days after making it; then it is locked, because the
records count in the teachers' appraisal (003:L330) and a count must not move after the school has
checked it. Only the author corrects, and each correction is audited with the fields it changed. A
record's day may be up to 31 days back (a visit written up at the weekend, a talk noted late), never
in the future.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import (
    CareKind,
    CarePhoto,
    CareRecord,
    ContactChannel,
    FamilyParty,
    TalkTopic,
)
from sync.server.models.care import record_details
from sync.server.office.care.photos import MAX_PHOTOS, StoredPhoto
from sync.server.office.fields import FieldProblem

CORRECTION_DAYS = 7
DAYS_BACK = 31
NOTES_MAX = 2000
MET_MAX = 80
MINUTES_MAX = 240


@dataclass
class CareDetails:
    on_day: date
    topics: list[TalkTopic] = field(default_factory=list)
    minutes: int | None = None
    met: str | None = None
    party: FamilyParty | None = None
    channel: ContactChannel | None = None
    notes: str = ""


def check_details(kind: CareKind, details: CareDetails, today: date) -> None:
    """What each kind needs; raises FieldProblem naming the first thing missing or wrong."""
    if details.on_day > today:
        raise FieldProblem("day_in_future")
    if details.on_day < today - timedelta(days=DAYS_BACK):
        raise FieldProblem("day_too_old")
    if len(details.notes) > NOTES_MAX:
        raise FieldProblem("notes_too_long")
    if kind is CareKind.TALK:
        if not details.topics:
            raise FieldProblem("topics_missing")
        if details.minutes is None or not 1 <= details.minutes <= MINUTES_MAX:
            raise FieldProblem("minutes_invalid")
    elif kind is CareKind.VISIT:
        if not details.met:
            raise FieldProblem("met_missing")
        if len(details.met) > MET_MAX:
            raise FieldProblem("met_too_long")
        if not details.notes:
            raise FieldProblem("said_missing")
    elif details.party is None or details.channel is None:
        raise FieldProblem("contact_missing")


def create(
    session: Session,
    school_id: uuid.UUID,
    child_id: uuid.UUID,
    author_id: uuid.UUID,
    kind: CareKind,
    details: CareDetails,
    photos: list[StoredPhoto] = (),  # type: ignore[assignment]
) -> CareRecord:
    now = now_of(session)
    record = CareRecord(
        id=uuid.uuid4(),
        school_id=school_id,
        child_id=child_id,
        author_id=author_id,
        kind=kind,
        created_at=now,
        changed_at=now,
    )
    _apply(record, kind, details)
    session.add(record)
    session.flush()
    add_photos(session, record, photos)
    return record


def _apply(record: CareRecord, kind: CareKind, details: CareDetails) -> None:
    record.on_day = details.on_day
    record.topics = [t.value for t in details.topics] if kind is CareKind.TALK else []
    record.minutes = details.minutes if kind is CareKind.TALK else None
    record.met = details.met if kind is CareKind.VISIT else None
    record.party = details.party if kind is CareKind.CONTACT else None
    record.channel = details.channel if kind is CareKind.CONTACT else None
    record.notes = details.notes


def locks_at(record: CareRecord) -> datetime:
    return record.created_at + timedelta(days=CORRECTION_DAYS)


def may_correct(record: CareRecord, user_id: uuid.UUID, now: datetime) -> bool:
    return record.author_id == user_id and now < locks_at(record)


def correct(
    session: Session,
    record: CareRecord,
    user_id: uuid.UUID,
    details: CareDetails,
    photos: list[StoredPhoto] = (),  # type: ignore[assignment]
) -> list[str]:
    """The author's correction within seven days; returns the names of the fields it changed."""
    if record.author_id != user_id:
        raise FieldProblem("not_author")
    if not may_correct(record, user_id, now_of(session)):
        raise FieldProblem("record_locked")
    before = record_details(record)
    _apply(record, record.kind, details)
    after = record_details(record)
    changed = sorted(k for k in before if before[k] != after[k])
    if photos:
        add_photos(session, record, photos)
        changed.append("photos")
    if changed:
        record.changed_at = now_of(session)
    return changed


def add_photos(session: Session, record: CareRecord, photos: list[StoredPhoto]) -> None:
    if not photos:
        return
    if record.kind is not CareKind.VISIT:
        raise FieldProblem("photos_only_for_visits")
    have = session.scalar(select(func.count()).where(CarePhoto.record_id == record.id)) or 0
    if have + len(photos) > MAX_PHOTOS:
        raise FieldProblem("too_many_photos")
    now = now_of(session)
    for photo in photos:
        session.add(
            CarePhoto(
                id=uuid.uuid4(),
                school_id=record.school_id,
                record_id=record.id,
                width=photo.width,
                height=photo.height,
                jpeg=photo.jpeg,
                created_at=now,
            )
        )
    session.flush()


def history(session: Session, school_id: uuid.UUID, child_id: uuid.UUID, limit: int = 60) -> list[CareRecord]:
    """A child's records, newest first."""
    return list(
        session.scalars(
            select(CareRecord)
            .where(CareRecord.school_id == school_id, CareRecord.child_id == child_id)
            .order_by(CareRecord.on_day.desc(), CareRecord.created_at.desc())
            .limit(limit)
        )
    )


def photo_ids(session: Session, record_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    if not record_ids:
        return found
    for photo_id, record_id in session.execute(
        select(CarePhoto.id, CarePhoto.record_id)
        .where(CarePhoto.record_id.in_(record_ids))
        .order_by(CarePhoto.created_at)
    ):
        found.setdefault(record_id, []).append(photo_id)
    return found
