"""活动信息: the school's activity news, at least two a month for the bureau (「每月不少于2条留守儿童
活动信息」, 003:L40), each with its photos carrying the school's and the activity's name (003:L39)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import ActivityPost, CarePhoto
from sync.server.office import fields
from sync.server.office.care.photos import MAX_PHOTOS, StoredPhoto
from sync.server.office.fields import FieldProblem

TARGET_PER_MONTH = 2
TITLE_MAX = 80
BODY_MAX = 5000


def caption(school_name: str, title: str, on_day: date) -> str:
    return f"{school_name} · {title} · {on_day.isoformat()}"


def check(title: str, body: str, on_day: date, today: date) -> None:
    if not title:
        raise FieldProblem("news_title_missing")
    if len(title) > TITLE_MAX:
        raise FieldProblem("news_title_too_long")
    if not body:
        raise FieldProblem("body_missing")
    if len(body) > BODY_MAX:
        raise FieldProblem("notes_too_long")
    if on_day > today:
        raise FieldProblem("day_in_future")


def clean_title(text: str) -> str:
    return fields.text(text)


def create_post(
    session: Session,
    school_id: uuid.UUID,
    author_id: uuid.UUID,
    *,
    title: str,
    on_day: date,
    body: str,
    photos: list[StoredPhoto],
) -> ActivityPost:
    if len(photos) > MAX_PHOTOS:
        raise FieldProblem("too_many_photos")
    now = now_of(session)
    post = ActivityPost(
        id=uuid.uuid4(),
        school_id=school_id,
        author_id=author_id,
        title=title,
        on_day=on_day,
        body=body,
        created_at=now,
    )
    session.add(post)
    session.flush()
    for photo in photos:
        session.add(
            CarePhoto(
                id=uuid.uuid4(),
                school_id=school_id,
                post_id=post.id,
                width=photo.width,
                height=photo.height,
                jpeg=photo.jpeg,
                created_at=now,
            )
        )
    session.flush()
    return post


def posts_between(session: Session, school_id: uuid.UUID, start: date, end: date) -> list[ActivityPost]:
    return list(
        session.scalars(
            select(ActivityPost)
            .where(
                ActivityPost.school_id == school_id, ActivityPost.on_day >= start, ActivityPost.on_day <= end
            )
            .order_by(ActivityPost.on_day.desc(), ActivityPost.created_at.desc())
        )
    )


def photos_of(session: Session, post_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    if not post_ids:
        return found
    for photo_id, post_id in session.execute(
        select(CarePhoto.id, CarePhoto.post_id)
        .where(CarePhoto.post_id.in_(post_ids))
        .order_by(CarePhoto.created_at)
    ):
        found.setdefault(post_id, []).append(photo_id)
    return found


def monthly_counts(
    session: Session, school_ids: list[uuid.UUID], start: date, end: date
) -> Counter[tuple[uuid.UUID, str]]:
    """Posts per school and month ("2026-11")."""
    found: Counter[tuple[uuid.UUID, str]] = Counter()
    if not school_ids:
        return found
    for school_id, on_day in session.execute(
        select(ActivityPost.school_id, ActivityPost.on_day).where(
            ActivityPost.school_id.in_(school_ids), ActivityPost.on_day >= start, ActivityPost.on_day <= end
        )
    ):
        found[(school_id, f"{on_day.year}-{on_day.month:02d}")] += 1
    return found
