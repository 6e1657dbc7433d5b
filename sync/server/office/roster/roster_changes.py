"""What a checked roster line changes about a child: the details, and the people the child may call.

A line speaks of up to three people: the father, the mother and the temporary guardian. One the child
can call needs a phone number (the kiosk shows 爸爸 / 妈妈 when no name is given). A guardian who is
the parent at home (关系: 母亲) is that parent, not a second person. The guardian's relation is kept as
the school wrote it (外婆) beside the kind the kiosk knows (a grandparent). A cell left empty changes
nothing that is stored; a fact left unknown stays unknown.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import GuardianType, Relation
from sync.server.models import CareAssessment, CentralChild, CentralContact, Gender
from sync.server.office.roster.children import ChildDetails

_PARENTS = (Relation.FATHER, Relation.MOTHER)


@dataclass(frozen=True)
class WantedContact:
    relation: Relation
    name: str
    phone: str
    word: str | None


def details_of(values: Mapping[str, Any]) -> ChildDetails:
    return ChildDetails(
        name=values["name"],
        student_no=values.get("student_no"),
        student_no_hash=values.get("student_no_hash"),
        class_name=values["class_name"],
        gender=Gender(values["gender"]) if values.get("gender") else None,
        birthday=date.fromisoformat(values["birthday"]) if values.get("birthday") else None,
        guardian_type=GuardianType(values["guardian_type"]) if values.get("guardian_type") else None,
        father_away=values.get("father_away"),
        mother_away=values.get("mother_away"),
        home_parent_unable=values.get("home_parent_unable"),
        care=CareAssessment(values["care"]) if values.get("care") else None,
    )


def wanted_contacts(values: Mapping[str, Any]) -> list[WantedContact]:
    people = {
        relation: [values.get(f"{person}_name") or "", values.get(f"{person}_phone") or ""]
        for person, relation in (("father", Relation.FATHER), ("mother", Relation.MOTHER))
    }
    kind = Relation(values["guardian_relation"]) if values.get("guardian_relation") else None
    guardian = [values.get("guardian_name") or "", values.get("guardian_phone") or ""]
    found = []
    if kind in _PARENTS:  # the parent at home: the guardian's cells fill what the parent's leave empty
        assert kind is not None
        people[kind] = [people[kind][0] or guardian[0], people[kind][1] or guardian[1]]
    for relation, (name, phone) in people.items():
        if phone:
            found.append(WantedContact(relation, name, phone, None))
    if kind not in _PARENTS and guardian[1]:
        found.append(
            WantedContact(
                kind or Relation.TEMPORARY_GUARDIAN, guardian[0], guardian[1], values.get("guardian_word")
            )
        )
    return found


def contacts_of(session: Session, child: CentralChild) -> list[CentralContact]:
    return list(session.scalars(select(CentralContact).where(CentralContact.child_id == child.id)))


def _matching(contacts: list[CentralContact], relation: Relation) -> CentralContact | None:
    """The stored contact a line's person is: the father, the mother, or the (first) other one."""
    for contact in contacts:
        if contact.relation == relation or (relation not in _PARENTS and contact.relation not in _PARENTS):
            return contact
    return None


def _as_stored(contact: CentralContact, wanted: WantedContact) -> tuple[Any, ...]:
    return (
        wanted.relation,
        wanted.name or contact.name,
        wanted.phone,
        wanted.word if wanted.word is not None else contact.relation_word,
    )


def differs(session: Session, child: CentralChild, values: Mapping[str, Any]) -> bool:
    details = details_of(values)
    if any(getattr(child, name) != getattr(details, name) for name in ChildDetails.__slots__):
        return True
    contacts = contacts_of(session, child)
    for wanted in wanted_contacts(values):
        contact = _matching(contacts, wanted.relation)
        if contact is None:
            return True
        if (contact.relation, contact.name, contact.phone, contact.relation_word) != _as_stored(
            contact, wanted
        ):
            return True
    return False


def write_contacts(session: Session, child: CentralChild, values: Mapping[str, Any]) -> None:
    contacts = contacts_of(session, child)
    for wanted in wanted_contacts(values):
        contact = _matching(contacts, wanted.relation)
        if contact is None:
            contact = CentralContact(
                id=uuid.uuid4(), school_id=child.school_id, child_id=child.id, allowed_to_call=True, name=""
            )
            session.add(contact)
            contacts.append(contact)
        stored = _as_stored(contact, wanted)
        if (contact.relation, contact.name, contact.phone, contact.relation_word) != stored:
            contact.relation, contact.name, contact.phone, contact.relation_word = stored
