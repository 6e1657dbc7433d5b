"""Scanners and keyboard-wedge readers typing into the kiosk's real window through the X server.

Every key here is a real X key event (xdotool, XTEST) at scanner speed: X → SDL2 → Kivy → the app →
the reader hub's wedge decoder. Capitals come with a Shift key-down of their own, as from a scanner;
Caps Lock and the number pad are the other ways scanners type. The results are read from the database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from db.enums import ItemKind
from db.models import Visit
from kiosk.services import cards, reports
from tests.conftest import Room
from tests.ui.xkeys import XKeyboard


@pytest.fixture
def keyboard(kiosk: Any) -> Iterator[XKeyboard]:
    from tests.ui.driver import step  # Kivy's window opens on the private display only (conftest)

    keys = XKeyboard(os.environ["DISPLAY"], pump=step)
    keys.focus(os.getpid())
    yield keys


def visits(room: Room) -> list[Any]:
    with room.uow.read() as session:
        return list(session.scalars(select(Visit.child_id)))


def open_loans(room: Room) -> list[str]:
    return [r.barcode for r in reports.borrow_records(room.uow, open_only=True)]


def test_an_upper_case_card_typed_with_shift_signs_the_child_in(kiosk: Any, room: Room, keyboard) -> None:
    uid = room.card_of(1)
    assert uid.isupper() and not uid.isdigit()  # xdotool holds Shift for each of its letters
    keyboard.type(uid)
    kiosk.wait_until(lambda: kiosk.screen == "child", "the child's screen")
    kiosk.settle()
    assert kiosk.sees("签到成功")
    assert visits(room) == [room.child(1)]


def test_a_scanned_barcode_in_capitals_lends_the_book(kiosk: Any, room: Room, keyboard) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    keyboard.type(room.card_of(2))
    kiosk.wait_until(lambda: kiosk.screen == "child", "the child's screen")
    kiosk.settle()
    kiosk.press("借书")
    keyboard.type(barcode)
    kiosk.wait_until(lambda: kiosk.sees("借到了"), "the loan")
    assert open_loans(room) == [barcode]
    assert visits(room) == [room.child(2)]


def test_caps_lock_on_does_not_stop_the_scanner(kiosk: Any, room: Room, keyboard) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    keyboard.keys("Caps_Lock")
    try:
        keyboard.type(room.card_of(3))  # capitals with Shift while Caps Lock is on: X says lower case
        kiosk.wait_until(lambda: kiosk.screen == "child", "the child's screen")
        kiosk.settle()
        kiosk.press("借书")
        keyboard.type(barcode.lower())  # a scanner that minds Caps Lock sends plain letters instead
        kiosk.wait_until(lambda: kiosk.sees("借到了"), "the loan")
    finally:
        keyboard.keys("Caps_Lock")
    assert open_loans(room) == [barcode]
    assert visits(room) == [room.child(3)]


def test_number_pad_digits_are_a_card_number(kiosk: Any, room: Room, keyboard) -> None:
    number = "0012345678"  # a 125 kHz card's printed number, as wedge readers type it
    cards.register_card(room.uow, room.staff(0), number, child_id=room.child(4))
    keyboard.keys(*(f"KP_{digit}" for digit in number), "KP_Enter")
    kiosk.wait_until(lambda: kiosk.screen == "child", "the child's screen")
    assert visits(room) == [room.child(4)]


def test_a_person_typing_the_same_card_at_the_keyboard_is_still_ignored(
    kiosk: Any, room: Room, keyboard
) -> None:
    keyboard.type(room.card_of(1), delay_ms=150)  # a fast typist; a child is slower still
    kiosk.settle()
    assert kiosk.screen == "idle" and visits(room) == []
