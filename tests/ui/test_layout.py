"""Every main screen at the three displays a room may have: nothing clipped, no box glyphs, and every
touch target at least 48 px. Screenshots of each size go to artifacts/screenshots/<width>x<height>/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from db.demo import DEMO_STAFF_PIN
from db.enums import CallKind, ItemKind, ReturnCondition, ShowingMedium
from kiosk.services import calls, loans, showings
from kiosk.ui import fonts
from tests.conftest import Room
from tests.ui.layout import problems

SIZES = [(800, 480), (1024, 600), (1280, 800)]


# Screens whose picture is kept at the bigger sizes (a screenshot costs 1-2 s there; every screen's widget
# tree is checked regardless, and the flow tests save every 800×480 screen).
SHOTS = {
    "idle",
    "child",
    "call-open",
    "books",
    "equipment",
    "pin",
    "admin-home",
    "admin-overdue",
    "queue-place",
    "idle-calling",
    "admin-emergency-notices",
}


def check(kiosk: Any, size: tuple[int, int], name: str, found: dict[str, list[str]]) -> None:
    if size != (800, 480) and name in SHOTS:
        kiosk.screenshot(f"{size[0]}x{size[1]}/{name}")
    issues = problems(kiosk.widgets(), fonts.find_cjk_font())
    if issues:
        found[name] = issues


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_main_screens_fit_every_display(
    start_kiosk: Callable[..., Any], room: Room, size: tuple[int, int]
) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    loans.borrow_copy(room.uow, room.child(0), barcode)  # something in "what I have"
    kiosk = start_kiosk(size)
    found: dict[str, list[str]] = {}

    check(kiosk, size, "idle", found)
    kiosk.card(room.card_of(0))
    check(kiosk, size, "child", found)
    kiosk.press("亲情电话")
    check(kiosk, size, "call-callee", found)
    kiosk.press(kiosk.button("尾号"))
    check(kiosk, size, "call-kind", found)
    kiosk.press("视频通话")
    check(kiosk, size, "call-reason", found)
    kiosk.press("想家了")
    check(kiosk, size, "call-open", found)
    kiosk.press("结束通话")
    kiosk.press("完成")
    kiosk.press("借书")
    check(kiosk, size, "books", found)
    kiosk.press("输入条码")
    check(kiosk, size, "keypad", found)
    kiosk.press("取消")
    kiosk.press("还")
    kiosk.press("↩")
    check(kiosk, size, "return-condition", found)
    kiosk.press("返回")
    kiosk.press("借器材")
    check(kiosk, size, "equipment", found)
    kiosk.app.go_idle()
    kiosk.settle()

    kiosk.card(room.staff_card())
    check(kiosk, size, "pin", found)
    for digit in DEMO_STAFF_PIN:
        kiosk.press(kiosk.keypad_key(digit))
    kiosk.press("确定")
    check(kiosk, size, "admin-home", found)
    pages = {
        "逾期未还": "overdue",
        "借阅记录": "records",
        "需联系家长": "contact-due",
        "今日通话": "calls",
        "盘点": "stocktake",
        "同步": "sync",
        "设置": "settings",
    }
    for label, name in pages.items():
        kiosk.press(label)
        check(kiosk, size, f"admin-{name}", found)
        kiosk.press("返回")

    assert not found, "\n".join(f"{screen}: {issue}" for screen, issues in found.items() for issue in issues)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_register_screens_fit_every_display(
    start_kiosk: Callable[..., Any], room: Room, size: tuple[int, int]
) -> None:
    """The queue, the call's last minute, a call from home, showings, damage, emergencies, settings."""
    calls.start_family_call(room.uow, room.child(5), room.callees(5)[0].id, CallKind.PHONE)  # phone busy
    showings.open_showing(room.uow, room.staff(), ShowingMedium.TV, "爱国主义影片")
    [book] = room.barcodes(ItemKind.BOOK)
    loans.borrow_copy(room.uow, room.child(1), book)
    loans.return_copy(room.uow, book, ReturnCondition.DAMAGED, child_id=room.child(1))
    kiosk = start_kiosk(size)
    found: dict[str, list[str]] = {}

    kiosk.card(room.card_of(0))
    kiosk.press("亲情电话")
    check(kiosk, size, "queue-place", found)
    kiosk.press("好的")
    check(kiosk, size, "child-queued-showing", found)  # five tiles: call (with the place), the showing …
    kiosk.press("家里打来电话了")
    check(kiosk, size, "incoming-who", found)
    kiosk.press(room.callees(0)[0].name)
    check(kiosk, size, "incoming-minutes", found)
    kiosk.app.go_idle()
    kiosk.settle()
    room.clock.advance(minutes=10)
    kiosk.app.refresh_idle()
    kiosk.settle()
    check(kiosk, size, "idle-calling", found)

    kiosk.card(room.staff_card())
    for digit in DEMO_STAFF_PIN:
        kiosk.press(kiosk.keypad_key(digit))
    kiosk.press("确定")
    kiosk.press("突发事件")
    check(kiosk, size, "admin-emergency", found)
    kiosk.card(room.card_of(0))
    check(kiosk, size, "admin-emergency-numbers", found)
    kiosk.press("记录突发事件")
    check(kiosk, size, "admin-emergency-notices", found)
    kiosk.press("最近事件")
    check(kiosk, size, "admin-emergency-recent", found)
    kiosk.press("返回")
    kiosk.press("亲情热线")
    kiosk.card(room.card_of(2))
    check(kiosk, size, "admin-hotline-callers", found)
    kiosk.press("返回")
    kiosk.press("电话排队")
    check(kiosk, size, "admin-queue", found)
    kiosk.press("返回")
    kiosk.press("损坏赔偿")
    check(kiosk, size, "admin-damages", found)
    kiosk.press("西游记")
    check(kiosk, size, "admin-damage-detail", found)
    kiosk.press("登记损坏")
    check(kiosk, size, "admin-damage-scan", found)
    kiosk.press("返回")
    kiosk.press("电视放映")
    check(kiosk, size, "admin-showing-on", found)
    kiosk.press("结束放映")
    check(kiosk, size, "admin-showing-form", found)
    kiosk.press("今日记录")
    check(kiosk, size, "admin-showings-today", found)
    kiosk.press("返回")
    kiosk.press("设置")
    for tab in ("通话", "突发事件", "每周安排"):
        kiosk.press(tab)
        check(kiosk, size, f"admin-settings-{tab}", found)

    assert not found, "\n".join(f"{screen}: {issue}" for screen, issues in found.items() for issue in issues)
