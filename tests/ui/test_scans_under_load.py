"""Every complete scan is answered, through real X key events (xdotool) at scanner speed.

A child with a stack of books scans them one after another while both cores are busy (other programs,
a sync, a backup: here, a busy loop per core). The X server, xdotool and the kiosk's own loop are all
starved now and then, so the keys reach the window in bursts with pauses between; each scan must still
end as a loan (the loan limit is raised for the test), never as nothing at all. A code nobody can use
and a book scanned where no book is wanted are answered in words.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from typing import Any

import pytest

from db.enums import ItemKind
from kiosk.services import reports
from kiosk.services.room_settings import save_setting
from tests.conftest import Room
from tests.ui.xkeys import XKeyboard

SCANS = 27


def spin() -> None:
    while True:
        pass


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """A busy loop on every core, for as long as the test runs."""
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(os.cpu_count() or 2)]
    for spinner in spinners:
        spinner.start()
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.join(5)


@pytest.fixture
def keyboard(kiosk: Any) -> XKeyboard:
    from tests.ui.driver import step  # Kivy's window opens on the private display only (conftest)

    keys = XKeyboard(os.environ["DISPLAY"], pump=step)
    keys.focus(os.getpid())
    return keys


def lent(room: Room) -> list[str]:
    return sorted(r.barcode for r in reports.borrow_records(room.uow, open_only=True))


def signed_in(kiosk: Any, keyboard: XKeyboard, card: str) -> None:
    keyboard.type(card)
    kiosk.wait_until(lambda: kiosk.screen == "child", "the child's screen")
    kiosk.settle()


@pytest.mark.slow
def test_a_stack_of_books_scanned_fast_on_a_busy_machine_is_every_one_lent(
    kiosk: Any, room: Room, keyboard: XKeyboard, busy_cores: None
) -> None:
    with room.uow:
        save_setting(room.uow.session, "max_open_loans", {k.value: 40 for k in ItemKind})
        room.uow.commit()
    books = room.barcodes(ItemKind.BOOK, count=SCANS)
    signed_in(kiosk, keyboard, room.card_of(0))
    kiosk.press("借书")
    for barcode in books:  # one straight after the other, as fast as the scanner reads
        keyboard.type(barcode)
    kiosk.wait_until(lambda: len(lent(room)) >= SCANS, "every loan", 60)
    assert lent(room) == sorted(books)


def test_a_code_too_long_to_be_anything_is_answered_not_dropped(
    kiosk: Any, room: Room, keyboard: XKeyboard, caplog: pytest.LogCaptureFixture
) -> None:
    signed_in(kiosk, keyboard, room.card_of(1))
    kiosk.press("借书")
    secret = "9" * 30 + room.card_of(2)  # a card number hidden in it must not reach the log
    keyboard.type(secret)
    kiosk.settle()
    assert kiosk.sees("没读出来，请再扫一次")
    kiosk.screenshot("60-scan-unreadable")
    assert room.card_of(2) not in caplog.text and "9" * 30 not in caplog.text
    assert "a code of 38 characters refused (too_long; shape D30 " in caplog.text
    assert lent(room) == []


def test_a_book_scanned_on_the_idle_screen_asks_for_the_card_first(
    kiosk: Any, room: Room, keyboard: XKeyboard
) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    keyboard.type(barcode)
    kiosk.settle()
    assert kiosk.screen == "idle" and kiosk.sees("请先刷卡，再扫条码")
    kiosk.screenshot("61-idle-scan-before-card")
    assert lent(room) == []
