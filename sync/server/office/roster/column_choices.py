"""What a school said its unknown columns are, kept so that its next file asks nothing.

A clerk answers once — 孩子跟谁住 is the guardian's relation, 爸爸或妈妈手机 is not imported — and the
school's files read that way from then on. Answers are per school and per kind of import; a later
answer to the same heading replaces the earlier one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.models import HeadingChoice
from sync.server.office.sheets.sheet_columns import clean_heading

_HEADING_MAX = 80


def remembered(session: Session, school_id: uuid.UUID, what: str) -> dict[str, str]:
    """Cleaned heading -> field ("" = not imported)."""
    return dict(
        session.execute(
            select(HeadingChoice.heading, HeadingChoice.field).where(
                HeadingChoice.school_id == school_id, HeadingChoice.what == what
            )
        ).all()
    )


def remember(session: Session, school_id: uuid.UUID, what: str, answers: Mapping[str, str]) -> None:
    now = now_of(session)
    for heading, field in answers.items():
        cleaned = clean_heading(heading)[:_HEADING_MAX]
        if not cleaned:
            continue
        found = session.scalar(
            select(HeadingChoice).where(
                HeadingChoice.school_id == school_id,
                HeadingChoice.what == what,
                HeadingChoice.heading == cleaned,
            )
        )
        if found is None:
            session.add(
                HeadingChoice(
                    id=uuid.uuid4(),
                    school_id=school_id,
                    what=what,
                    heading=cleaned,
                    field=field,
                    chosen_at=now,
                )
            )
        else:
            found.field, found.chosen_at = field, now
    session.flush()
