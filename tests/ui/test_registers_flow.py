"""The room's other registers through the real screens: a call from home logged by the child and by the
teacher, a TV showing the children join, damage returned and settled, an emergency's numbers and
notices, and weekday menus."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.demo import DEMO_STAFF_PIN
from db.enums import CallDirection, DamageSettlement, ItemKind, NotifyParty
from db.models import Child, Damage, FamilyCall, IncidentNotice
from kiosk.services import damages, loans, reports, showings
from kiosk.ui.screens.admin.pages import AdminPage
from tests.conftest import Room
from tests.ui.driver import plain
from tests.ui.test_admin_flow import enter_pin


def admin(kiosk: Any, room: Room) -> None:
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    assert kiosk.screen == "admin"


def name_of(room: Room, n: int) -> str:
    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return child.name


def incoming_calls(room: Room) -> list[FamilyCall]:
    with room.uow.read() as session:
        return list(session.scalars(select(FamilyCall).where(FamilyCall.direction == CallDirection.INCOMING)))


def test_a_child_logs_a_call_from_home_on_their_own_screen(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(0))
    kiosk.screenshot("44-child-menu")
    kiosk.press("家里打来电话了")
    assert kiosk.sees("是谁打来的")
    callers = room.callees(0)
    kiosk.press(callers[0].name)
    kiosk.screenshot("45-incoming-how-long")
    kiosk.press("10 分钟")
    assert kiosk.sees("记好了")
    [call] = incoming_calls(room)
    assert call.callee_id == callers[0].id and call.logged_by_staff_id is None
    assert (call.ended_at - call.started_at).total_seconds() == 600
    kiosk.press("完成")
    assert kiosk.screen == "child"
    assert room.child(0) not in {d.child_id for d in reports.contact_due_list(room.uow)}  # family contact


def test_the_teacher_logs_a_hotline_call_by_tapping_the_childs_card(kiosk: Any, room: Room) -> None:
    admin(kiosk, room)
    kiosk.press("亲情热线")
    kiosk.screenshot("46-admin-hotline")
    kiosk.card(room.card_of(1))  # on this page a child's card says whose call it was
    assert kiosk.screen == "admin" and kiosk.sees(name_of(room, 1))
    kiosk.press(room.callees(1)[0].name)
    kiosk.press("5 分钟")
    assert kiosk.sees("已登记")
    [call] = incoming_calls(room)
    assert call.child_id == room.child(1) and call.logged_by_staff_id == room.staff()


def test_children_join_a_showing_once_and_the_register_lists_them(kiosk: Any, room: Room) -> None:
    admin(kiosk, room)
    kiosk.press("电视放映")
    kiosk.press("新闻联播")
    kiosk.screenshot("47-admin-showing-form")
    kiosk.press("开始放映")
    assert kiosk.sees("正在放映：《新闻联播》")
    kiosk.card(room.card_of(0))
    room.clock.advance(seconds=20)
    kiosk.card(room.card_of(1))
    assert kiosk.sees(name_of(room, 0)) and kiosk.sees(name_of(room, 1))
    kiosk.card(room.card_of(1))  # a second join is refused, in words
    assert kiosk.sees("已经加入这场放映了")
    kiosk.screenshot("48-admin-showing-on")
    kiosk.press("返回")
    kiosk.press("退出管理")

    room.clock.advance(seconds=20)
    kiosk.card(room.card_of(2))  # a child joins from their own screen
    kiosk.screenshot("48b-child-menu-showing")
    kiosk.press("看电视")
    assert kiosk.sees("已加入放映《新闻联播》") and not kiosk.sees("看电视")
    kiosk.press("完成")

    admin(kiosk, room)
    kiosk.press("电视放映")
    kiosk.press("结束放映")
    assert kiosk.sees("共 3 人观看")
    kiosk.press("今日记录")
    kiosk.screenshot("49-admin-showings-today")
    [record] = showings.todays_register(room.uow)
    assert [v.child_id for v in record.viewers] == [room.child(n) for n in (0, 1, 2)]


def test_damage_only_by_the_borrower_then_agreed_and_paid(kiosk: Any, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    loans.borrow_copy(room.uow, room.child(0), barcode)

    kiosk.card(room.card_of(1))  # a friend brings it back and types its label
    kiosk.press("借书")
    kiosk.press("还")
    kiosk.scan(barcode)
    kiosk.press("丢失")
    assert kiosk.sees("这件东西不是你借的")
    assert damages.damage_list(room.uow) == [] and loans.loans_of(room.uow, room.child(0))
    kiosk.press("返回")
    kiosk.press("完成")

    kiosk.card(room.card_of(0))  # the borrower says it is damaged
    kiosk.press("借书")
    kiosk.press("还")
    kiosk.press("↩")
    kiosk.press("损坏")
    assert kiosk.sees("请找管理员老师") and not kiosk.sees("赔偿") and not kiosk.sees("已归还")
    kiosk.press("返回")
    kiosk.press("完成")

    admin(kiosk, room)
    kiosk.press("损坏赔偿")
    kiosk.screenshot("50-admin-damages")
    kiosk.press(name_of(room, 0))
    kiosk.press("确定金额")
    for digit in "12":
        kiosk.press(kiosk.keypad_key(digit))
    kiosk.press("确定")
    assert kiosk.sees("应赔 12.00 元")
    kiosk.press(name_of(room, 0))
    kiosk.screenshot("51-admin-damage-detail")
    kiosk.press("已赔偿")
    with room.uow.read() as session:
        damage = session.scalar(select(Damage))
        assert damage is not None and (damage.amount_fen, damage.settlement) == (1200, DamageSettlement.PAID)


def test_an_emergency_shows_the_numbers_and_each_notice_is_ticked_once(kiosk: Any, room: Room) -> None:
    admin(kiosk, room)
    kiosk.press("突发事件")
    kiosk.card(room.card_of(0))  # one tap: the child's card
    for contact in room.callees(0):
        digits = contact.phone
        assert kiosk.sees(f"{digits[:3]} {digits[3:7]} {digits[7:]}")  # in full, for the teacher to ring
    kiosk.screenshot("52-admin-emergency-numbers")
    kiosk.press("记录突发事件")
    assert kiosk.sees("委托监护人") and kiosk.sees("15:50 前") and kiosk.sees("17:30 前")
    room.clock.advance(minutes=7)
    buttons = [b for b in kiosk.widgets() if getattr(b, "text", "") == "已通知"]
    assert len(buttons) == 4
    kiosk.press(buttons[1])  # the guardian, second by deadline
    assert kiosk.sees("✔ 15:37 已通知")
    kiosk.screenshot("53-admin-emergency-notices")
    with room.uow.read() as session:
        told = session.scalars(select(IncidentNotice).where(IncidentNotice.notified_at.is_not(None))).all()
        assert [n.party for n in told] == [NotifyParty.GUARDIAN]


def test_a_weekday_menu_limits_what_the_child_is_offered(kiosk: Any, room: Room) -> None:
    admin(kiosk, room)
    kiosk.press("设置")
    kiosk.press("每周安排")
    assert kiosk.app.admin_screen.page is AdminPage.SETTINGS
    row_of_monday = [b for b in kiosk.widgets() if getattr(b, "text", "") == "电话"]
    kiosk.press(row_of_monday[0])  # Monday: no phone
    kiosk.screenshot("54-admin-settings-week")
    kiosk.press("突发事件")
    kiosk.screenshot("55-admin-settings-emergency")
    kiosk.press("返回")
    kiosk.press("退出管理")
    kiosk.card(room.card_of(0))
    tiles = [plain(t.text) for t in kiosk.app.child_screen.tiles.children]
    assert not any("亲情电话" in t for t in tiles) and any("借书" in t for t in tiles), tiles
