"""Every screen at the three displays a room may have, in both languages, with the longest strings a
real room has: nothing cut, nothing spilt outside its place, no box glyphs, pictures that can be read,
every touch target at least 48 px. Screenshots go to artifacts/screenshots/<size>[-en]/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from kivy.uix.button import Button

from db.clock import ManualClock
from db.demo import DEMO_STAFF_PIN
from db.enums import CallKind, ItemKind, ReturnCondition, ShowingMedium
from kiosk.platform.words import translate
from kiosk.services import calls, loans, showings, signin
from kiosk.ui import fonts
from tests.conftest import START, Room
from tests.ui.driver import plain
from tests.ui.layout import problems
from tests.ui.long_strings import longest_real_strings

SIZES = [(800, 480), (1024, 600), (1280, 800)]
LOCALES = ["zh_CN", "en"]
CASES = [(size, locale) for size in SIZES for locale in LOCALES]
IDS = [f"{w}x{h}-{locale}" for (w, h), locale in CASES]

# Screens whose picture is kept (a screenshot costs 1-2 s; every screen's widget tree is checked
# regardless, and the flow tests save every 800×480 screen in Chinese).
SHOTS = {
    "child",
    "child-signed-out",
    "call-callee",
    "equipment",
    "admin-settings-sound",
    "admin-settings-sound-quiet",
    "idle-calling",
}


@pytest.fixture
def clock() -> ManualClock:
    """06:00 in the school, so a child still signed in at 22:50 has been here 1010 minutes."""
    return ManualClock(START - timedelta(hours=9, minutes=30))


class Walk:
    """Presses and checks, in the kiosk's language: buttons are found by the catalogue's words."""

    def __init__(self, kiosk: Any, size: tuple[int, int], locale: str) -> None:
        self.kiosk, self.size, self.locale = kiosk, size, locale
        self.found: dict[str, list[str]] = {}

    def words(self, key: str, **params: Any) -> str:
        return plain(translate(key, self.locale, **params))

    def press(self, key: str, **params: Any) -> None:
        """The button whose words (a line of them) are the catalogue's; else one that contains them
        ("Family call" is also in "Family called me": the whole line wins; a tile's ♥ mark is no word)."""
        words = self.words(key, **params).split("{")[0].strip()
        exact = [
            w
            for w in self.kiosk.widgets()
            if isinstance(w, Button) and w.opacity > 0 and not w.disabled
            if words in [line.strip(" ←↩▶■‼♥") for line in plain(w.text).splitlines()]
        ]
        self.kiosk.press(exact[-1] if exact else words)

    def check(self, name: str) -> None:
        folder = f"{self.size[0]}x{self.size[1]}" + ("" if self.locale == "zh_CN" else "-en")
        if name in SHOTS and (self.size != (800, 480) or self.locale != "zh_CN"):
            self.kiosk.screenshot(f"{folder}/{name}")
        issues = problems(self.kiosk.widgets(), fonts.find_cjk_font())
        if issues:
            self.found[name] = issues

    def verdict(self) -> str:
        return "\n".join(f"{screen}: {issue}" for screen, issues in self.found.items() for issue in issues)


def log_in(walk: Walk, room: Room) -> None:
    walk.kiosk.card(room.staff_card())
    for digit in DEMO_STAFF_PIN:
        walk.kiosk.press(walk.kiosk.keypad_key(digit))
    walk.press("keypad.ok")


@pytest.mark.slow
@pytest.mark.parametrize(("size", "locale"), CASES, ids=IDS)
def test_main_screens_fit_every_display(
    start_kiosk: Callable[..., Any], room: Room, size: tuple[int, int], locale: str
) -> None:
    longest_real_strings(room)
    [barcode] = room.barcodes(ItemKind.BOOK)
    signin.tap_card(room.uow, room.card_of(0))  # here since 06:00
    loans.borrow_copy(room.uow, room.child(0), barcode)  # the long title in "what I have"
    kiosk = start_kiosk(size, locale)
    walk = Walk(kiosk, size, locale)

    walk.check("idle")
    kiosk.card(room.card_of(0))
    walk.check("child")
    walk.press("menu.call")
    walk.check("call-callee")
    kiosk.press(room.callees(0)[0].name)
    walk.check("call-kind")
    walk.press("kind.video")
    walk.check("call-reason")
    walk.press("reason.miss_family")
    walk.check("call-open")
    walk.press("call.end_button")
    walk.press("menu.done")
    walk.press("menu.books")
    walk.check("books")
    walk.press("loans.type_code")
    walk.check("keypad")
    walk.press("keypad.cancel")
    walk.press("loans.mode_return")
    kiosk.press("↩")
    walk.check("return-condition")
    walk.press("nav.back")
    walk.press("menu.equipment")
    walk.check("equipment")
    walk.press("nav.back")
    room.clock.advance(minutes=1009)  # 22:49: 1009 minutes in the room today
    walk.press("menu.sign_out")
    walk.check("child-signed-out")
    kiosk.app.go_idle()
    kiosk.settle()

    log_in(walk, room)
    walk.check("admin-home")
    pages = {
        "admin.overdue": "overdue",
        "admin.records": "records",
        "admin.contact_due_short": "contact-due",
        "admin.calls_today": "calls",
        "admin.stocktake": "stocktake",
        "admin.sync": "sync",
        "admin.settings": "settings",
    }
    for key, name in pages.items():
        walk.press(key)
        walk.check(f"admin-{name}")
        walk.press("nav.back")
    walk.press("admin.settings")
    walk.press("settings.tab_sound")
    walk.check("admin-settings-sound")
    walk.press("settings.on")  # quiet hours on: the from/until row
    walk.check("admin-settings-sound-quiet")

    assert not walk.found, walk.verdict()


@pytest.mark.slow
@pytest.mark.parametrize(("size", "locale"), CASES, ids=IDS)
def test_register_screens_fit_every_display(
    start_kiosk: Callable[..., Any], room: Room, size: tuple[int, int], locale: str
) -> None:
    """The queue, a call from home, showings, damage, emergencies, settings; long names throughout."""
    longest_real_strings(room)
    room.clock.advance(hours=9, minutes=30)  # the afternoon
    calls.start_family_call(room.uow, room.child(5), room.callees(5)[0].id, CallKind.PHONE)  # phone busy
    showings.open_showing(room.uow, room.staff(), ShowingMedium.TV, "爱国主义影片")
    [book] = room.barcodes(ItemKind.BOOK)
    loans.borrow_copy(room.uow, room.child(1), book)
    loans.return_copy(room.uow, book, ReturnCondition.DAMAGED, child_id=room.child(1))
    kiosk = start_kiosk(size, locale)
    walk = Walk(kiosk, size, locale)

    kiosk.card(room.card_of(0))
    walk.press("menu.call")
    walk.check("queue-place")
    walk.press("queue.ok")
    walk.check("child-queued-showing")  # five tiles: call (with the place), the showing …
    walk.press("menu.incoming")
    walk.check("incoming-who")
    kiosk.press(room.callees(0)[0].name)
    walk.check("incoming-minutes")
    kiosk.app.go_idle()
    kiosk.settle()
    room.clock.advance(minutes=10)
    kiosk.app.refresh_idle()
    kiosk.settle()
    walk.check("idle-calling")

    log_in(walk, room)
    walk.press("admin.emergency")
    walk.check("admin-emergency")
    kiosk.card(room.card_of(0))
    walk.check("admin-emergency-numbers")
    walk.press("emergency.open")
    walk.check("admin-emergency-notices")
    walk.press("emergency.recent")
    walk.check("admin-emergency-recent")
    walk.press("nav.back")
    walk.press("admin.hotline")
    kiosk.card(room.card_of(2))
    walk.check("admin-hotline-callers")
    walk.press("nav.back")
    walk.press("admin.queue")
    walk.check("admin-queue")
    walk.press("nav.back")
    walk.press("admin.damages")
    walk.check("admin-damages")
    kiosk.press("安徒生")  # the long title, damaged
    walk.check("admin-damage-detail")
    walk.press("damages.record")
    walk.check("admin-damage-scan")
    walk.press("nav.back")
    walk.press("admin.showings")
    walk.check("admin-showing-on")
    walk.press("showings.stop")
    walk.check("admin-showing-form")
    walk.press("showings.today")
    walk.check("admin-showings-today")
    walk.press("nav.back")
    walk.press("admin.settings")
    for tab in ("settings.tab_phone", "settings.tab_emergency", "settings.tab_week"):
        walk.press(tab)
        walk.check(f"admin-{tab.replace('.', '-')}")

    assert not walk.found, walk.verdict()
