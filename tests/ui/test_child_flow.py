"""A child's visit, driven through the real screens: sign in, log a family call, borrow and return."""

from __future__ import annotations

from typing import Any

from db.enums import ItemKind
from kiosk.services import reports
from tests.conftest import Room


def test_child_signs_in_calls_home_borrows_and_returns_a_book(kiosk: Any, room: Room) -> None:
    kiosk.screenshot("01-idle")
    kiosk.card(room.card_of(0))
    assert kiosk.screen == "child"
    assert kiosk.sees("签到成功")
    assert not kiosk.sees("好久没打亲情电话了")  # not where anyone near can read it: a mark on her tile
    assert kiosk.sees("亲情电话 ♥")
    kiosk.screenshot("02-child-signed-in")

    # 亲情电话: who → phone or video → why; logged first, then the number appears.
    kiosk.press("亲情电话")
    assert kiosk.screen == "call"
    assert kiosk.sees("好久没打亲情电话了")  # the reminder's words, once she tapped 亲情电话
    callee = room.callees(0)[0]
    assert not kiosk.sees(callee.phone[:7])  # the list shows only the last four digits
    kiosk.screenshot("03-call-pick-callee")
    kiosk.press("爸爸" if any("爸爸" in t for t in kiosk.texts()) else "妈妈")
    kiosk.press("亲情电话")
    kiosk.screenshot("04-call-pick-reason")
    kiosk.press("想家了")
    calls = reports.calls_on(room.uow)
    assert len(calls) == 1 and calls[0].ended_at is None  # logged before dialling
    assert kiosk.sees("现在请拨打")
    kiosk.screenshot("05-call-open")
    kiosk.press("结束通话")
    assert reports.calls_on(room.uow)[0].ended_at is not None
    assert kiosk.sees("通话结束")
    kiosk.press("完成")
    assert kiosk.screen == "child"

    # 借书: scan a book's barcode with the wedge scanner.
    [barcode] = room.barcodes(ItemKind.BOOK)
    kiosk.press("借书")
    assert kiosk.screen == "loans"
    kiosk.screenshot("06-books-borrow")
    kiosk.scan(barcode)
    assert kiosk.sees("借到了")
    assert [r.barcode for r in reports.borrow_records(room.uow, open_only=True)] == [barcode]
    kiosk.screenshot("07-books-borrowed")

    # 还书: tap it in "what I have", say how it came back.
    kiosk.press("还")
    kiosk.press("↩")
    kiosk.screenshot("08-return-condition")
    kiosk.press("完好")
    assert kiosk.sees("已归还")
    assert reports.borrow_records(room.uow, open_only=True) == []
    kiosk.screenshot("09-returned")

    kiosk.press("返回")
    kiosk.press("完成")
    assert kiosk.screen == "idle" and not kiosk.sees("签到成功")


def test_equipment_from_the_picture_list_and_a_refusal_in_words(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(1))
    kiosk.press("借器材")
    kiosk.screenshot("10-equipment-pictures")
    kiosk.press("象棋")
    assert kiosk.sees("借到了象棋")
    kiosk.press("篮球")  # one piece of sports equipment is fine …
    kiosk.press("足球")  # … a second is over the limit: refused, in words, nothing written
    assert kiosk.sees("最多同时借"), kiosk.texts()
    assert len(reports.borrow_records(room.uow, open_only=True)) == 2
    kiosk.screenshot("11-equipment-refused")


def test_the_keypad_types_a_barcode_the_scanner_cannot_read(kiosk: Any, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    kiosk.card(room.card_of(2))
    kiosk.press("借书")
    kiosk.press("输入条码")
    kiosk.press(barcode[:2])  # the prefix key (TS)
    for digit in barcode[2:]:
        kiosk.press(kiosk.keypad_key(digit))
    kiosk.screenshot("12-keypad")
    kiosk.press("确定")
    assert [r.barcode for r in reports.borrow_records(room.uow, open_only=True)] == [barcode]


def test_the_call_closes_itself_at_the_time_limit(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(0))
    kiosk.press("亲情电话")
    kiosk.press(kiosk.button("尾号"))
    kiosk.press("视频通话")
    kiosk.press("不选")
    assert kiosk.app.call_guard.watching == 1
    kiosk.app.call_guard.expire_all()
    kiosk.settle()
    assert kiosk.sees("时间到了")
    [line] = reports.calls_on(room.uow)
    assert line.ended_at is not None


def test_back_to_idle_after_inactivity_forgets_the_child(start_kiosk: Any, room: Room) -> None:
    kiosk = start_kiosk(idle_timeout_seconds=1)
    kiosk.card(room.card_of(0))
    assert kiosk.screen == "child"
    kiosk.wait_until(lambda: kiosk.screen == "idle", "the inactivity timeout")
    kiosk.settle()
    assert not kiosk.sees("签到成功") and not kiosk.sees("好久没打亲情电话")
    assert kiosk.app.child_screen.child_id is None


def test_unknown_card_is_answered_on_the_idle_screen(kiosk: Any) -> None:
    kiosk.card("DEADBEEF")
    assert kiosk.screen == "idle" and kiosk.sees("还没有登记")


def test_a_keyboard_wedge_reader_signs_in_but_a_person_typing_does_not(kiosk: Any, room: Room) -> None:
    kiosk.type_keys(room.card_of(1), key_gap=0.12)  # a child at a keyboard: too slow to be a reader
    kiosk.settle()
    assert kiosk.screen == "idle" and kiosk.taps_seen == 0
    kiosk.wedge_card(room.card_of(1))  # the same number typed by a USB reader, milliseconds apart
    assert kiosk.screen == "child" and kiosk.sees("签到成功")


def test_a_barcode_on_the_idle_screen_is_not_a_card(kiosk: Any, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    kiosk.scan(barcode)
    assert kiosk.screen == "idle" and kiosk.taps_seen == 0
    assert reports.borrow_records(room.uow, open_only=True) == []


def test_the_callees_number_is_masked_when_nobody_touches_the_screen(start_kiosk: Any, room: Room) -> None:
    kiosk = start_kiosk(number_visible_seconds=1)
    kiosk.card(room.card_of(0))
    kiosk.press("亲情电话")
    kiosk.press(kiosk.button("尾号"))
    kiosk.press("亲情电话")
    kiosk.press("不选")
    open_call = kiosk.app.call_screen.open_call
    assert open_call is not None and len(reports.calls_on(room.uow)) == 1
    number = open_call.number_to_dial
    grouped = f"{number[:3]} {number[3:7]} {number[7:]}"
    assert kiosk.sees(grouped)
    kiosk.wait_until(lambda: not kiosk.sees(grouped), "the number to be masked")
    assert not kiosk.sees(number[3:7]) and kiosk.sees(number[-4:]) and kiosk.sees("轻触")
    kiosk.screenshot("05b-call-number-masked")
    kiosk.touch("轻触")  # a touch shows it again, for another while
    assert kiosk.sees(grouped)
    kiosk.wait_until(lambda: not kiosk.sees(grouped), "the number to be masked again")
    kiosk.press("结束通话")
    assert reports.calls_on(room.uow)[0].ended_at is not None
