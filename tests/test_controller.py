"""The touchscreen's controller without a screen: its answers come back through `post`, here a list the
test drains on its own thread (what Kivy's clock does for the app), so no Xvfb and no Kivy.

What it promises the screens: every action runs on the worker, never on the caller's thread; a refusal
arrives as a sentence in the kiosk's language; an unexpected error arrives as a plain "ask the teacher"
with nothing personal in the log; and a few actions smooth over what a screen should not care about.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.clock import ManualClock
from db.enums import CallEnd, CallKind, ItemKind, NotifyParty, ReturnCondition, ShowingMedium
from kiosk.services import call_queue, calls, loans, showings, signin
from kiosk.services.uow import UnitOfWork
from kiosk.ui.controller import IdleInfo, KioskController, Refused
from kiosk.ui.worker import ServiceWorker
from sync.client.status import SyncStatus
from tests.conftest import START, Room

EQUIPMENT = (ItemKind.SPORTS, ItemKind.CHESS, ItemKind.OTHER)


class Screens:
    """Stands where the app's screens are: collects what the controller hands back."""

    def __init__(self, locale: str = "zh_CN") -> None:
        self.posted: list[Callable[[], None]] = []
        self.worker = ServiceWorker(self.posted.append, name="test-worker")
        self.refusals: list[Refused] = []
        self.errors: list[str] = []
        self.ctrl = KioskController(self.worker, locale, self.refusals.append, self.errors.append)

    def drain(self) -> None:
        """Run what the worker posted, here, on the test's thread (as the UI thread would)."""
        assert self.worker.wait_idle(15), "the worker did not finish"
        while self.posted:
            self.posted.pop(0)()

    def answer(self, action: Callable[[Callable[[Any], None]], None]) -> Any:
        got: list[Any] = []
        action(got.append)
        self.drain()
        assert len(got) == 1, (
            f"expected one answer, got {got}; refusals {self.refusals}, errors {self.errors}"
        )
        return got[0]


@pytest.fixture
def screens(uow: UnitOfWork) -> Any:
    made = Screens()
    made.ctrl.attach(uow)
    yield made
    made.worker.stop()


def test_an_answer_waits_for_the_ui_thread_and_the_work_runs_on_the_worker(
    screens: Screens, room: Room
) -> None:
    threads: list[str] = []
    answers: list[signin.TapResult] = []
    screens.ctrl.run("probe", lambda u: threads.append(threading.current_thread().name), lambda _: None)
    screens.ctrl.tap_card(room.card_of(0), answers.append)
    assert screens.worker.wait_idle(15)
    assert answers == []  # done, but not handed to the screen until the UI thread runs it
    screens.drain()
    assert threads == ["test-worker"]
    assert isinstance(answers[0], signin.SignedIn) and answers[0].child.id == room.child(0)


def test_a_refusal_arrives_as_a_sentence_in_the_kiosks_language(screens: Screens, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    answers: list[Any] = []
    screens.ctrl.give_back(
        barcode, ReturnCondition.OK, room.child(0), answers.append, screens.refusals.append
    )
    screens.drain()
    assert answers == []
    [refused] = screens.refusals
    assert refused.code == "not_on_loan" and "没有被借出" in refused.message

    screens.ctrl.locale = "en"
    screens.ctrl.give_back(
        barcode, ReturnCondition.OK, room.child(0), answers.append, screens.refusals.append
    )
    screens.drain()
    assert "not on loan" in screens.refusals[-1].message.lower(), screens.refusals[-1].message


def test_a_refusal_without_its_own_handler_goes_to_the_screens_banner(screens: Screens, room: Room) -> None:
    callee = calls.callees_for(room.uow, room.child(0))[0].contact_id
    calls.start_family_call(room.uow, room.child(1), room.callees(1)[0].id, CallKind.PHONE)  # the one phone
    opened: list[Any] = []
    screens.ctrl.start_call(room.child(0), callee, CallKind.PHONE, None, opened.append)
    screens.drain()
    assert opened == []
    [refused] = screens.refusals
    assert refused.code == "line_busy" and "亲情电话正在使用" in refused.message  # the kind, in words


def test_an_unexpected_error_says_ask_the_teacher_and_logs_no_name(
    screens: Screens, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_uow: UnitOfWork) -> None:
        raise ValueError("王小明 13800001234")  # a bug whose message carries a child's details

    caplog.set_level(logging.DEBUG)
    screens.ctrl.run("broken", broken, lambda _: None)
    screens.drain()
    assert screens.errors == ["出了点问题，请找管理员老师。"]
    assert screens.refusals == []
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "broken failed: ValueError" in logged and "王小明" not in logged and "1380000" not in logged


def test_ending_a_call_the_time_limit_already_ended_is_no_refusal(screens: Screens, room: Room) -> None:
    opened = calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    first = screens.answer(lambda then: screens.ctrl.end_call(opened.call_id, CallEnd.HUNG_UP, then))
    second = screens.answer(lambda then: screens.ctrl.end_call(opened.call_id, CallEnd.TIME_LIMIT, then))
    assert isinstance(first, calls.ClosedCall) and second is None
    assert screens.refusals == [] and screens.errors == []


def test_borrow_records_are_filtered_by_one_kind_or_a_group_of_kinds(screens: Screens, room: Room) -> None:
    [book] = room.barcodes(ItemKind.BOOK)
    [ball] = room.barcodes(ItemKind.SPORTS)
    [chess] = room.barcodes(ItemKind.CHESS)
    loans.borrow_copy(room.uow, room.child(0), book)
    loans.borrow_copy(room.uow, room.child(1), ball)
    loans.borrow_copy(room.uow, room.child(2), chess)

    def barcodes(kinds: tuple[ItemKind, ...] | None) -> set[str]:
        rows = screens.answer(lambda then: screens.ctrl.borrow_records(True, kinds, then))
        return {r.barcode for r in rows}

    assert barcodes(None) == {book, ball, chess}
    assert barcodes((ItemKind.BOOK,)) == {book}
    assert barcodes(EQUIPMENT) == {ball, chess}


def test_nothing_runs_before_the_database_is_open(tmp_path: Path) -> None:
    screens = Screens()
    try:
        with pytest.raises(RuntimeError, match="not open"):
            _ = screens.ctrl.uow
        loaded: list[UnitOfWork] = []
        opened = screens.answer(
            lambda then: screens.ctrl.open_database(
                tmp_path / "new.sqlite3", ManualClock(START), loaded.append, then
            )
        )
        assert opened is None and loaded == [screens.ctrl.uow]
        info = screens.answer(screens.ctrl.idle_info)
        assert isinstance(info, IdleInfo) and not info.room.is_open and not info.sync.configured
        screens.ctrl.uow.engine.dispose()
    finally:
        screens.worker.stop()


class Link:
    client = None  # a stand-in that cannot enrol

    def __init__(self) -> None:
        self.threads: list[str] = []

    def status(self) -> SyncStatus:
        return SyncStatus(True, True, 3, None, None)

    def sync_now(self) -> None:
        self.threads.append(threading.current_thread().name)


def test_sync_is_not_configured_until_a_client_is_attached(screens: Screens, room: Room) -> None:
    room.tap(0)  # one event waiting in the outbox
    status = screens.answer(screens.ctrl.sync_status)
    assert not status.configured and status.pending_events == 1
    assert not screens.ctrl.can_sync
    asked: list[None] = []
    screens.ctrl.sync_now(asked.append)
    screens.drain()
    assert asked == []  # nothing to ask

    link = Link()
    screens.ctrl.attach_sync(link)
    assert screens.ctrl.can_sync
    assert screens.answer(screens.ctrl.sync_status).pending_events == 3  # the client's own count now
    assert screens.answer(screens.ctrl.sync_now) is None
    assert link.threads == ["test-worker"]  # never on the UI thread


def test_the_registers_actions_answer_and_refuse_in_words(screens: Screens, room: Room) -> None:
    """The mixin's actions (kiosk.ui.room_log_actions) run like the rest: answers on the UI thread, a
    second join or a second tick refused in a sentence, not an error."""
    calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    place = screens.answer(lambda then: screens.ctrl.ask_for_phone(room.child(1), then))
    assert isinstance(place, call_queue.Waiting) and place.place == 1
    board = screens.answer(screens.ctrl.idle_info).queue
    assert board.waiting == 1 and board.called == []
    assert screens.answer(lambda then: screens.ctrl.leave_queue(room.child(1), then)) is True

    showing = showings.open_showing(room.uow, room.staff(), ShowingMedium.TV, "动画片")
    joined = screens.answer(
        lambda then: screens.ctrl.join_showing(room.child(2), showing, then, screens.refusals.append)
    )
    assert joined.viewers == 1
    screens.ctrl.join_showing(room.child(2), showing, lambda _: None, screens.refusals.append)
    screens.drain()
    assert [r.code for r in screens.refusals] == ["already_watching"]

    view = screens.answer(lambda then: screens.ctrl.open_incident(room.staff(), room.child(3), then))
    for _ in range(2):
        screens.ctrl.mark_notified(
            room.staff(), view.incident_id, NotifyParty.PARENTS, lambda _: None, screens.refusals.append
        )
    screens.drain()
    assert [r.code for r in screens.refusals] == ["already_watching", "already_notified"]
    assert "已经打过勾" in screens.refusals[-1].message
    assert screens.errors == []
