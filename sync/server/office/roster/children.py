"""Changing a child's record in the office: details, class, the people the child may call, cards, and
leaving the school.

Every change goes through the central rows, so the change sequence stamps it and every kiosk of the
school pulls it at its next sync. A child who leaves is deactivated, not deleted: their cards are
retired at once (a tap is refused on every kiosk after its next pull), their past visits and calls
stay counted, and their personal data is erased later, after the school's retention period
(sync.server.office.erasure). A class change is recorded as a placement from a given day, so a past
semester's statistics still count the child in the class they were in then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import CardStatus, GuardianType, Relation
from sync.server.core.student_numbers import masked_parts, shown, student_key_of
from sync.server.models import (
    CareAssessment,
    CentralCard,
    CentralChild,
    CentralContact,
    ClassPlacement,
    Gender,
    SchoolClass,
)
from sync.server.office import fields
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import cards


@dataclass(frozen=True, slots=True)
class ChildDetails:
    """What the office types about a child (already read by sync.server.office.fields). A fact left
    None is unknown (未填). The student number is what the office shows and its keyed hash
    (`student_number`); the number as typed is never kept."""

    name: str
    student_no: str | None
    class_name: str
    gender: Gender | None
    birthday: date | None
    guardian_type: GuardianType | None
    father_away: bool | None
    mother_away: bool | None
    home_parent_unable: bool | None
    care: CareAssessment | None
    student_no_hash: str | None = None


def student_number(session: Session, typed: str | None, child: CentralChild | None) -> tuple[str, str] | None:
    """(shown, hash) of a number typed into the office's form. The child's own masked number, as the
    form shows it (G****4072), stands for the number kept; any other masked text is refused."""
    text = fields.text(typed).replace(" ", "")
    if not text:
        return None
    if child is not None and child.student_no and text.upper() == child.student_no and child.student_no_hash:
        return child.student_no, child.student_no_hash
    if masked_parts(text) is not None:
        raise FieldProblem("student_no_masked_typed")
    number = fields.student_no(text)
    return shown(number), student_key_of(session).digest(number)


def school_class(session: Session, school_id: uuid.UUID, name: str) -> SchoolClass:
    found = session.scalar(
        select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.name == name)
    )
    if found is None or not found.active:
        raise FieldProblem("class_unknown")
    return found


def with_typed_number(session: Session, details: ChildDetails, child: CentralChild | None) -> ChildDetails:
    """The details with the number typed into the form (`details.student_no`) as what is kept."""
    kept = student_number(session, details.student_no, child)
    return replace(details, student_no=kept[0] if kept else None, student_no_hash=kept[1] if kept else None)


def student_no_taken(
    session: Session, school_id: uuid.UUID, digest: str | None, except_child: uuid.UUID | None
) -> bool:
    if not digest:
        return False
    query = select(func.count()).where(
        CentralChild.school_id == school_id, CentralChild.student_no_hash == digest
    )
    if except_child is not None:
        query = query.where(CentralChild.id != except_child)
    return bool(session.scalar(query))


def create_child(
    session: Session, school_id: uuid.UUID, details: ChildDetails, joined_on: date
) -> CentralChild:
    klass = school_class(session, school_id, details.class_name)
    if student_no_taken(session, school_id, details.student_no_hash, None):
        raise FieldProblem("student_no_taken")
    child = CentralChild(
        id=uuid.uuid4(),
        school_id=school_id,
        class_name=klass.name,
        grade=klass.grade,
        active=True,
        joined_on=joined_on,
        **_columns(details, exclude={"class_name"}),
    )
    session.add(child)
    session.add(_placement(child, joined_on))
    session.flush()
    return child


def update_child(session: Session, child: CentralChild, details: ChildDetails, moved_on: date) -> bool:
    """Apply the details; returns whether anything changed (an unchanged row is not re-sent to kiosks)."""
    if child.erased_at is not None:
        raise FieldProblem("child_erased")
    klass = school_class(session, child.school_id, details.class_name)
    if student_no_taken(session, child.school_id, details.student_no_hash, child.id):
        raise FieldProblem("student_no_taken")
    changed = False
    for name, value in _columns(details, exclude={"class_name"}).items():
        if getattr(child, name) != value:
            setattr(child, name, value)
            changed = True
    if (child.class_name, child.grade) != (klass.name, klass.grade):
        child.class_name, child.grade = klass.name, klass.grade
        session.add(_placement(child, moved_on))
        changed = True
    return changed


def _columns(details: ChildDetails, exclude: set[str]) -> dict[str, object]:
    return {name: getattr(details, name) for name in ChildDetails.__slots__ if name not in exclude}


def _placement(child: CentralChild, valid_from: date) -> ClassPlacement:
    return ClassPlacement(
        id=uuid.uuid4(),
        school_id=child.school_id,
        child_id=child.id,
        class_name=child.class_name,
        grade=child.grade,
        valid_from=valid_from,
    )


def save_contact(
    session: Session,
    child: CentralChild,
    contact_id: uuid.UUID | None,
    *,
    relation: Relation,
    name: str,
    phone: str,
    allowed_to_call: bool,
) -> CentralContact:
    """Add a person the child may call, or change one. Contacts are never deleted (past calls name
    them); one who should no longer be called is kept with `allowed_to_call` off."""
    if child.erased_at is not None:
        raise FieldProblem("child_erased")
    clean_name = fields.person_name(name)
    clean_phone = fields.phone(phone, required=True)
    if contact_id is None:
        contact = CentralContact(id=uuid.uuid4(), school_id=child.school_id, child_id=child.id)
        session.add(contact)
    else:
        found = session.get(CentralContact, contact_id)
        if found is None or found.child_id != child.id:
            raise FieldProblem("contact_unknown")
        contact = found
    if (contact.relation, contact.name, contact.phone, contact.allowed_to_call) != (
        relation,
        clean_name,
        clean_phone,
        allowed_to_call,
    ):
        contact.relation, contact.name = relation, clean_name
        contact.phone, contact.allowed_to_call = clean_phone, allowed_to_call
    session.flush()
    return contact


def assign_card(session: Session, child: CentralChild, raw_uid: str) -> CentralCard:
    if not child.active:
        raise FieldProblem("child_inactive")
    return cards.assign(session, child.school_id, raw_uid, child_id=child.id)


def mark_card_lost(session: Session, child: CentralChild, uid: str) -> CentralCard:
    return cards.mark_lost(session, child.school_id, uid, child_id=child.id)


def deactivate(session: Session, child: CentralChild, left_on: date) -> int:
    """The child left the school on `left_on`: off every kiosk at its next pull, every card retired.
    Returns how many cards stopped working."""
    if child.left_on is not None and not child.active:
        raise FieldProblem("child_already_left")
    if child.joined_on is not None and left_on < child.joined_on:
        raise FieldProblem("left_before_joined")
    child.active = False
    child.left_on = left_on
    retired = 0
    for card in session.scalars(select(CentralCard).where(CentralCard.child_id == child.id)):
        if card.status is CardStatus.ACTIVE:
            card.status = CardStatus.RETIRED
            retired += 1
    return retired


def reactivate(child: CentralChild) -> None:
    """A child who came back (a transfer undone): on the roster again; cards must be given anew."""
    if child.erased_at is not None:
        raise FieldProblem("child_erased")
    child.active = True
    child.left_on = None
