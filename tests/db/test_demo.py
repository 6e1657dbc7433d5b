from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from db.clock import ManualClock
from db.demo import GUARDIAN_SHARES, LEFT_BEHIND, allocate, load_demo_data
from db.demo_history import generate_history, school_days
from db.enums import GuardianType, ItemKind
from db.events import parse_event
from db.models import Card, CatalogueItem, Child, Contact, Copy, Loan, OutboxEvent, Visit
from kiosk.services.database_open import open_database
from kiosk.services.uow import UnitOfWork
from tests.conftest import START, database_state


def test_guardian_counts_are_computed_from_the_shares() -> None:
    counts = allocate(LEFT_BEHIND, GUARDIAN_SHARES)
    assert sum(counts.values()) == 96
    # 33.9 % / 59.4 % / 0.2 % / 6.5 % of 96 by largest remainder
    assert counts == {
        GuardianType.GRANDPARENTS: 33,
        GuardianType.ONE_PARENT: 57,
        GuardianType.RELATIVES_FRIENDS: 0,
        GuardianType.SINGLE_PARENT_OR_ORPHAN: 6,
    }
    # the other school in the seeds: 113 children, 32 % / 60 % / 5.3 % / 2.7 % -> 36 / 68 / 6 / 3
    other = allocate(113, dict(zip(GuardianType, (32, 60, 5.3, 2.7), strict=True)))
    assert list(other.values()) == [36, 68, 6, 3]


def test_demo_room_is_sized_from_the_seeds(uow: UnitOfWork) -> None:
    with uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 96
        books = session.scalar(
            select(func.count())
            .select_from(Copy)
            .join(CatalogueItem)
            .where(CatalogueItem.kind == ItemKind.BOOK)
        )
        periodicals = session.scalar(
            select(func.count()).select_from(CatalogueItem).where(CatalogueItem.kind == ItemKind.PERIODICAL)
        )
        chess_sets = dict(
            session.execute(
                select(CatalogueItem.title, func.count(Copy.id))
                .join(Copy)
                .where(CatalogueItem.kind == ItemKind.CHESS)
                .group_by(CatalogueItem.title)
            ).all()
        )
        assert books >= 500 and periodicals >= 20
        assert 10 <= chess_sets["象棋"] <= 20 and 10 <= chess_sets["军棋"] <= 20
        # every child has someone to call, and the phones are obviously not real numbers
        lonely = session.scalar(select(func.count()).select_from(Child).where(~Child.contacts.any()))
        assert lonely == 0
        assert all(p.startswith("1380000") for p in session.scalars(select(Contact.phone)))
        names = list(session.scalars(select(Child.name)))
        assert all(2 <= len(n) <= 3 and "\u4e00" <= n[0] <= "\u9fff" for n in names)


def test_demo_is_deterministic(tmp_path: Path) -> None:
    states = []
    for n in range(2):
        uow = open_database(tmp_path / f"{n}.sqlite3", ManualClock(START))
        with uow:
            load_demo_data(uow.session, START, seed=11, pin_key=uow.pin_key)
            uow.commit()
        state = database_state(uow.engine)
        states.append({t: rows for t, rows in state.items() if t not in ("device_identity", "staff")})
        uow.engine.dispose()
    assert states[0] == states[1]


def test_history_looks_like_what_the_services_write(uow: UnitOfWork) -> None:
    with uow:
        summary = generate_history(uow.session, date(2026, 9, 1), date(2026, 9, 30), sent_before=START)
        uow.commit()
    assert summary.days == 22 and summary.events > 2000
    with uow.read() as session:
        events = list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        for event in events:
            parse_event(event.type, event.payload)
        assert all(e.sent_at is not None for e in events)
        cards = {child: uid for child, uid in session.execute(select(Card.child_id, Card.uid))}
        sign_ins = [e.payload for e in events if e.type == "visit.signed_in"]
        assert sign_ins and all(p["card_uid"] == cards[uuid.UUID(p["child_id"])] for p in sign_ins)
        assert session.scalar(select(func.count()).select_from(Visit)) == summary.visits
        assert session.scalar(select(func.count()).select_from(Loan)) == summary.loans
        # books borrowed at the end of September are still out; the unique open-loan index held
        assert session.scalar(select(func.count()).select_from(Loan).where(Loan.is_open)) > 0


def test_history_can_leave_exactly_its_newest_events_pending(uow: UnitOfWork) -> None:
    with uow:
        summary = generate_history(uow.session, date(2026, 9, 1), date(2026, 9, 10), pending_events=500)
        uow.commit()
    with uow.read() as session:
        pending = list(session.scalars(select(OutboxEvent.seq).where(OutboxEvent.sent_at.is_(None))))
    assert pending == list(range(summary.events - 499, summary.events + 1))


def test_school_days_skip_weekends_and_holidays() -> None:
    days = list(school_days(date(2026, 1, 1), date(2026, 12, 31), weekends=False))
    assert date(2026, 7, 15) not in days and date(2026, 2, 1) not in days
    assert date(2026, 11, 23) in days and date(2026, 11, 22) not in days  # Monday yes, Sunday no
