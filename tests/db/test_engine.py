from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy.exc
from sqlalchemy import select, text, update

from db.engine import make_engine, pragma
from db.models import OutboxEvent
from kiosk.services import signin
from kiosk.services.uow import UnitOfWork
from tests.conftest import Room


def test_pragmas_for_power_loss_safety(uow: UnitOfWork) -> None:
    assert pragma(uow.engine, "journal_mode") == "wal"
    assert pragma(uow.engine, "synchronous") == 2  # FULL: fsync the WAL at every commit
    assert pragma(uow.engine, "foreign_keys") == 1
    assert pragma(uow.engine, "busy_timeout") == 5000


def test_naive_datetimes_are_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(sqlalchemy.exc.StatementError, match="naive datetime"):
        uow.session.execute(
            select(OutboxEvent).where(OutboxEvent.occurred_at > datetime(2026, 1, 1))  # noqa: DTZ001
        ).all()


def test_writers_take_the_lock_up_front(room: Room) -> None:
    """A unit of work begins with BEGIN IMMEDIATE: a second writer waits instead of reading stale data."""
    order: list[str] = []
    second = UnitOfWork(room.uow.engine, room.clock)
    entered = threading.Event()

    def hold_the_lock() -> None:
        with room.uow:
            room.uow.session.execute(text("SELECT 1"))
            entered.set()
            time.sleep(0.3)
            order.append("first done")
            room.uow.commit()

    worker = threading.Thread(target=hold_the_lock)
    worker.start()
    entered.wait(5)
    with second:
        second.session.execute(text("SELECT 1"))
        order.append("second began")
    worker.join()
    assert order == ["first done", "second began"]


def test_outbox_event_content_cannot_be_changed(room: Room) -> None:
    room.tap()
    with (
        room.uow.engine.begin() as connection,
        pytest.raises(sqlalchemy.exc.DatabaseError, match="immutable"),
    ):
        connection.execute(update(OutboxEvent).values(type="visit.signed_out"))


def test_acknowledging_an_event_is_the_one_allowed_change(room: Room) -> None:
    room.tap()
    with room.uow.engine.begin() as connection:
        connection.execute(update(OutboxEvent).values(sent_at=datetime.now(UTC)))
    with room.uow.engine.begin() as connection:
        assert connection.execute(text("DELETE FROM outbox_events")).rowcount == 1  # sent: may be pruned


def test_only_an_unsent_event_may_take_a_new_sequence_number(room: Room) -> None:
    room.tap()
    with room.uow.engine.begin() as connection:  # what sync.client.restored does after a restore
        connection.execute(update(OutboxEvent).values(seq=OutboxEvent.seq + 100))
        connection.execute(update(OutboxEvent).values(sent_at=datetime.now(UTC)))
    with (
        room.uow.engine.begin() as connection,
        pytest.raises(sqlalchemy.exc.DatabaseError, match="immutable"),
    ):
        connection.execute(update(OutboxEvent).values(seq=OutboxEvent.seq + 1))


def test_unsent_events_cannot_be_deleted(room: Room) -> None:
    room.tap()
    with room.uow.engine.begin() as connection, pytest.raises(sqlalchemy.exc.DatabaseError, match="unsent"):
        connection.execute(text("DELETE FROM outbox_events"))


def test_sequence_numbers_are_gapless_and_ordered(room: Room) -> None:
    for n in range(5):
        room.tap(n)
        room.clock.advance(seconds=1)
    events = room.events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert len({e.device_id for e in events}) == 1
    assert all(e.boot_id == room.clock.boot_id for e in events)


def test_a_refused_or_failed_action_leaves_no_event(room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows and event are one transaction: if the commit fails, neither lands."""

    def broken_commit(self: UnitOfWork) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(UnitOfWork, "commit", broken_commit)
    before = room.state()
    with pytest.raises(OSError):
        signin.tap_card(room.uow, room.card_of())
    assert room.state() == before


def test_engine_creates_the_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(tmp_path / "new" / "folder" / f"{uuid.uuid4()}.sqlite3")
    assert pragma(engine, "journal_mode") == "wal"
