"""Demo data sized from the seeds: one school of 314 pupils, 96 of them left behind, a room with 500+
books, 20 periodicals and the equipment the rules list. Deterministic for a given seed.

Only left-behind children go onto the kiosk (the room is theirs, and the kiosk stores only what the room
needs); the whole 314-pupil roster is what the central server would hold.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.demo_vocabulary import (
    BOOKS,
    CHILD_GIVEN,
    EQUIPMENT,
    FATHER_GIVEN,
    GRANDPARENT_GIVEN,
    MOTHER_GIVEN,
    PERIODICAL_ISSUES_ON_SHELF,
    PERIODICAL_PRICE_YUAN,
    PERIODICALS,
    STAFF_NAMES,
    SURNAMES,
)
from db.enums import CardStatus, GuardianType, ItemKind, Relation, StaffRole
from db.models import Card, CatalogueItem, Child, Contact, Copy, Staff
from db.pin_hash import hash_pin
from db.pin_seal import PinKey, seal_pin_hash

PUPILS = 314
LEFT_BEHIND = 96
CLASSES_PER_GRADE = 2
GRADES = 6  # the 314-pupil school in the seeds is a primary school
# Shares quoted by 德亭镇初级中学 (seeds 000). Counts are computed from them, never copied.
GUARDIAN_SHARES = {
    GuardianType.GRANDPARENTS: 33.9,
    GuardianType.ONE_PARENT: 59.4,
    GuardianType.RELATIVES_FRIENDS: 0.2,
    GuardianType.SINGLE_PARENT_OR_ORPHAN: 6.5,
}
DEMO_STAFF_PIN = "2468"
GRADE_NAMES = "一二三四五六七八九"


@dataclass(frozen=True)
class DemoSummary:
    children: int
    contacts: int
    books: int
    periodicals: int
    equipment: int
    staff: int
    sample_child_cards: list[str] = field(default_factory=list)
    sample_staff_cards: list[str] = field(default_factory=list)
    sample_barcodes: list[str] = field(default_factory=list)


def allocate(total: int, shares: dict[GuardianType, float]) -> dict[GuardianType, int]:
    """Largest-remainder apportionment: counts that add up to `total` and follow the shares."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    leftover = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:leftover]:
        counts[k] += 1
    return counts


def has_demo_data(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Child)) or 0) > 0


def load_demo_data(
    session: Session, now: datetime, seed: int = 2026, *, pin_key: PinKey | None
) -> DemoSummary:
    """Insert the demo roster, staff, cards and catalogue (central data: no outbox events).

    `pin_key`: a kiosk's device key, so the staff PIN hash is sealed before it touches the disk
    (db.pin_seal); None keeps the plain scrypt hash, which only the school's server stores."""
    rng = random.Random(seed)
    uids: set[str] = set()
    children, contacts, child_cards = _children(rng, now, uids)
    staff, staff_cards = _staff(rng, now, uids, pin_key)
    items, copies = _catalogue(rng, now.date())
    session.add_all(staff)
    session.add_all(children)
    session.add_all(contacts)
    session.add_all(items)
    session.add_all(copies)
    session.flush()
    session.add_all(child_cards + staff_cards)
    kinds = {item.id: item.kind for item in items}
    copies_of = lambda *ks: [c for c in copies if kinds[c.item_id] in ks]  # noqa: E731
    return DemoSummary(
        children=len(children),
        contacts=len(contacts),
        books=len(copies_of(ItemKind.BOOK)),
        periodicals=len({c.item_id for c in copies_of(ItemKind.PERIODICAL)}),
        equipment=len(copies_of(ItemKind.SPORTS, ItemKind.CHESS)),
        staff=len(staff),
        sample_child_cards=[c.uid for c in child_cards[:3]],
        sample_staff_cards=[c.uid for c in staff_cards[:1]],
        sample_barcodes=[copies[0].barcode, copies[1].barcode, copies_of(ItemKind.CHESS)[0].barcode],
    )


def _children(
    rng: random.Random, now: datetime, uids: set[str]
) -> tuple[list[Child], list[Contact], list[Card]]:
    pupils = _school_roster(rng, now.date())
    left_behind = sorted(rng.sample(range(len(pupils)), LEFT_BEHIND))
    kinds = [k for k, n in allocate(LEFT_BEHIND, GUARDIAN_SHARES).items() for _ in range(n)]
    rng.shuffle(kinds)
    children, contacts, cards = [], [], []
    for index, guardian_type in zip(left_behind, kinds, strict=True):
        name, grade, class_name, birthday = pupils[index]
        child = Child(
            id=_uuid(rng),
            name=name,
            class_name=class_name,
            grade=grade,
            birthday=birthday,
            guardian_type=guardian_type,
            active=True,
        )
        children.append(child)
        contacts.extend(_contacts_for(rng, child, guardian_type))
        cards.append(
            Card(uid=_card_uid(rng, uids), child_id=child.id, status=CardStatus.ACTIVE, registered_at=now)
        )
    return children, contacts, cards


def _school_roster(rng: random.Random, today: date) -> list[tuple[str, int, str, date]]:
    """Every pupil of the school, spread over grades and classes (the central server's 花名册)."""
    per_class, extra = divmod(PUPILS, GRADES * CLASSES_PER_GRADE)
    roster = []
    for slot in range(GRADES * CLASSES_PER_GRADE):
        grade, class_no = slot // CLASSES_PER_GRADE + 1, slot % CLASSES_PER_GRADE + 1
        class_name = f"{GRADE_NAMES[grade - 1]}年级({class_no})班"
        for _ in range(per_class + (1 if slot < extra else 0)):
            age = grade + 5
            birthday = date(today.year - age, 1, 1) + timedelta(days=rng.randrange(365))
            roster.append((_child_name(rng), grade, class_name, birthday))
    return roster


def _contacts_for(rng: random.Random, child: Child, guardian_type: GuardianType) -> list[Contact]:
    surname = child.name[0]
    father = (Relation.FATHER, surname + rng.choice(FATHER_GIVEN))
    mother = (Relation.MOTHER, rng.choice(SURNAMES) + rng.choice(MOTHER_GIVEN))
    grandparent = (Relation.TEMPORARY_GUARDIAN, surname + rng.choice(GRANDPARENT_GIVEN))
    relative = (Relation.TEMPORARY_GUARDIAN, rng.choice(SURNAMES) + rng.choice(FATHER_GIVEN + MOTHER_GIVEN))
    people = {
        GuardianType.GRANDPARENTS: [father, mother, grandparent],
        GuardianType.ONE_PARENT: [father, mother],
        GuardianType.RELATIVES_FRIENDS: [father, mother, relative],
        GuardianType.SINGLE_PARENT_OR_ORPHAN: [rng.choice([father, mother]), grandparent],
    }[guardian_type]
    return [
        Contact(
            id=_uuid(rng),
            child_id=child.id,
            relation=relation,
            name=name,
            phone=f"1380000{rng.randrange(10_000):04d}",
            allowed_to_call=True,
        )
        for relation, name in people
    ]


def _staff(
    rng: random.Random, now: datetime, uids: set[str], pin_key: PinKey | None
) -> tuple[list[Staff], list[Card]]:
    pin_hash = hash_pin(DEMO_STAFF_PIN)  # one scrypt for all demo staff keeps start-up quick
    if pin_key is not None:
        pin_hash = seal_pin_hash(pin_hash, pin_key)
    staff = [
        Staff(
            id=_uuid(rng),
            name=name,
            role=StaffRole.ADMINISTRATOR if i == 0 else StaffRole.DUTY_TEACHER,
            pin_hash=pin_hash,
            active=True,
        )
        for i, name in enumerate(STAFF_NAMES)
    ]
    cards = [
        Card(uid=_card_uid(rng, uids), staff_id=s.id, status=CardStatus.ACTIVE, registered_at=now)
        for s in staff
    ]
    return staff, cards


def _catalogue(rng: random.Random, today: date) -> tuple[list[CatalogueItem], list[Copy]]:
    items: list[CatalogueItem] = []
    copies: list[Copy] = []

    def add(kind: ItemKind, title: str, author: str | None, price_yuan: int, count: int, prefix: str) -> None:
        item = CatalogueItem(
            id=_uuid(rng), kind=kind, title=title, author=author, price_fen=price_yuan * 100, active=True
        )
        items.append(item)
        for _ in range(count):
            copies.append(
                Copy(
                    id=_uuid(rng),
                    item_id=item.id,
                    barcode=f"{prefix}{len(copies) + 1:06d}",
                    acquired_on=today - timedelta(days=rng.randrange(30, 2000)),
                )
            )

    for title, author, price, count in BOOKS:
        add(ItemKind.BOOK, title, author, price, count, "TS")
    for title in PERIODICALS:
        add(ItemKind.PERIODICAL, title, None, PERIODICAL_PRICE_YUAN, PERIODICAL_ISSUES_ON_SHELF, "QK")
    for title, kind, price, count in EQUIPMENT:
        add(ItemKind(kind), title, None, price, count, "QC")
    return items, copies


def _child_name(rng: random.Random) -> str:
    given = "".join(rng.choice(CHILD_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _card_uid(rng: random.Random, taken: set[str]) -> str:
    """4-byte NFC UIDs as PC/SC readers report them (upper-case hex)."""
    while True:
        uid = f"{rng.getrandbits(32):08X}"
        if uid not in taken:
            taken.add(uid)
            return uid


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)
