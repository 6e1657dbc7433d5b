"""What a child's erasure does to the care network's records: the words go, the counts stay.

Every 谈心, 家访 and contact keeps its kind, day and author (a teacher's past figures do not change),
but its notes, whom the visit met and its photos are gone; a counselling record keeps its day (the
bureau's anonymous counts) and loses its content and follow-up; the child's pairs stay, naming an
anonymous row.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sync.server.models import CarePhoto, CareRecord, CounsellingRecord


def erase_care(session: Session, child_ids: Collection[uuid.UUID]) -> None:
    if not child_ids:
        return
    ids = list(child_ids)
    records = select(CareRecord.id).where(CareRecord.child_id.in_(ids))
    session.execute(delete(CarePhoto).where(CarePhoto.record_id.in_(records)))
    session.execute(update(CareRecord).where(CareRecord.child_id.in_(ids)).values(notes="", met=None))
    session.execute(
        update(CounsellingRecord).where(CounsellingRecord.child_id.in_(ids)).values(content="", follow_up="")
    )


ERASED_TABLES = ("care_records", "care_photos", "counselling_records")
