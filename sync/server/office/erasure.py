"""Erasing the personal data of children who left, after the school's retention period.

What goes: the child's name (replaced by a neutral mark), student number, the day of the birthday
(the year and month stay, and a day is kept only as far as it decides the child's age on the school's
cut-off days, so every past statistics table keeps its age bands), and the names and phone numbers of
the people they could call. What stays: the row itself, with class, guardian type, which parents were away and
the care assessment — anonymous facts that keep every past report's totals as they were — and the
retired card numbers, which name no one once the child's row is anonymous (a card may be given to
another child later). Kiosks receive the erased rows at their next pull and overwrite their copies.
Audit entries name children by id only, so they need no rewriting. The care network's records of the
child lose their words and photos, counselling records their content (office.care.care_erasure).

Deleted text must not linger in the files: SQLite runs with `secure_delete` (freed space is zeroed)
and the write-ahead log is checkpointed and truncated right after the erasure, so neither the database
file nor its `-wal` still holds the old values. PostgreSQL keeps old row versions until VACUUM; the
erasure runs one on the affected tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sync.server.core.clock import now_of
from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CentralCard, CentralChild, CentralContact
from sync.server.office.care.care_erasure import ERASED_TABLES, erase_care
from sync.wire import ERASED_NAME


@dataclass(frozen=True, slots=True)
class ErasureCandidate:
    child_id: uuid.UUID
    name: str
    class_name: str
    left_on: date
    contacts: int
    cards: int


def erase_after(left_on: date, settings: SchoolSettings) -> date:
    try:
        return left_on.replace(year=left_on.year + settings.retention_years)
    except ValueError:  # left on 29 February
        return left_on.replace(year=left_on.year + settings.retention_years, day=28)


def due(
    session: Session, school_id: uuid.UUID, settings: SchoolSettings, today: date
) -> list[ErasureCandidate]:
    """Children who left at least the retention period ago and are not erased yet: what an erasure
    would touch, shown before it is done."""
    found = []
    for child in session.scalars(
        select(CentralChild)
        .where(
            CentralChild.school_id == school_id,
            CentralChild.active.is_(False),
            CentralChild.left_on.is_not(None),
            CentralChild.erased_at.is_(None),
        )
        .order_by(CentralChild.left_on)
    ):
        assert child.left_on is not None
        if erase_after(child.left_on, settings) <= today:
            contacts = len(
                session.scalars(select(CentralContact.id).where(CentralContact.child_id == child.id)).all()
            )
            cards = len(
                session.scalars(select(CentralCard.uid).where(CentralCard.child_id == child.id)).all()
            )
            found.append(
                ErasureCandidate(child.id, child.name, child.class_name, child.left_on, contacts, cards)
            )
    return found


def erase(
    session: Session, school_id: uuid.UUID, child_ids: set[uuid.UUID], settings: SchoolSettings, today: date
) -> int:
    """Erase those of `child_ids` that are due (others are left alone); returns how many."""
    eligible = {c.child_id for c in due(session, school_id, settings, today)} & child_ids
    now = now_of(session)
    for child_id in eligible:
        child = session.get(CentralChild, child_id)
        assert child is not None
        child.name = ERASED_NAME
        child.student_no = child.student_no_hash = None
        if child.birthday is not None:
            child.birthday = anonymous_birthday(child.birthday, settings)
        child.erased_at = now
        for contact in session.scalars(select(CentralContact).where(CentralContact.child_id == child_id)):
            contact.name, contact.phone, contact.allowed_to_call = ERASED_NAME, "", False
    erase_care(session, eligible)
    session.flush()
    return len(eligible)


def anonymous_birthday(birthday: date, settings: SchoolSettings) -> date:
    """The birthday with its day forgotten as far as the statistics allow: an age is counted on a
    cut-off day, so in the birth month the kept day must stay on the same side of every cut-off day of
    that month; the earliest such day is kept (the 1st when no cut-off falls in the month)."""
    cutoffs = [settings.spring_semester_starts, settings.autumn_semester_starts, settings.age_cutoff]
    days = [int(md[3:]) for md in cutoffs if md and int(md[:2]) == birthday.month]
    return birthday.replace(day=1 + max((d for d in days if d < birthday.day), default=0))


def scrub_files(engine: Engine) -> None:
    """After the erasure's commit: make sure no old page with the erased values stays on disk."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text(f"VACUUM children, contacts, cards, {', '.join(ERASED_TABLES)}"))
