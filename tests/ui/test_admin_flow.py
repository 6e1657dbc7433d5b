"""The duty teacher at the kiosk: staff card + PIN, the overdue list, registering a new card."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from db.demo import DEMO_STAFF_PIN
from db.enums import ContactCadence, ItemKind
from db.models import Card
from kiosk.services import loans
from kiosk.services.room_settings_changes import current_settings
from kiosk.ui.screens.admin.pages import AdminPage
from sync.client.school_rules import adopt_rules
from sync.client.status import SyncStatus
from tests.conftest import Room

NEW_CARD = "0A1B2C3D"


def enter_pin(kiosk: Any, pin: str) -> None:
    for digit in pin:
        kiosk.press(kiosk.keypad_key(digit))
    kiosk.press("确定")


def test_administrator_sees_overdue_list_and_registers_a_card(kiosk: Any, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    loans.borrow_copy(room.uow, room.child(3), barcode)
    room.clock.advance(days=20)  # 14-day loan: six days overdue

    kiosk.card(room.staff_card())
    assert kiosk.screen == "pin"
    kiosk.screenshot("20-admin-pin")
    enter_pin(kiosk, "0000")
    assert kiosk.sees("密码不对")  # the lockout counts on disk
    enter_pin(kiosk, DEMO_STAFF_PIN)
    assert kiosk.screen == "admin"
    kiosk.screenshot("21-admin-home")

    kiosk.press("逾期未还")
    assert kiosk.sees(barcode) and kiosk.sees("6")
    kiosk.screenshot("22-admin-overdue")
    kiosk.press("返回")

    kiosk.press("登记卡片")
    kiosk.screenshot("23-admin-register-tap")
    kiosk.card(NEW_CARD)  # in registration, a tap is the new card, not a sign-in
    assert kiosk.screen == "admin"
    kiosk.press("一年级(1)班")
    kiosk.screenshot("24-admin-register-child")
    first_child = kiosk.app.admin_screen.current.picker.child_buttons[0]
    name = first_child.text
    kiosk.press(first_child)
    assert kiosk.sees("已登记给")
    kiosk.screenshot("25-admin-card-registered")
    with room.uow.read() as session:
        card = session.get(Card, NEW_CARD)
        assert card is not None and card.child_id is not None
        assert session.scalar(select(Card.uid).where(Card.uid == NEW_CARD)) == NEW_CARD
    assert name

    # The new card signs the child in once the teacher has left admin mode.
    kiosk.press("返回")
    kiosk.press("退出管理")
    kiosk.card(NEW_CARD)
    assert kiosk.screen == "child" and kiosk.sees(name)


def test_admin_pages_show_todays_room(kiosk: Any, room: Room) -> None:
    room.tap(0)
    room.clock.advance(timedelta(minutes=5))
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("开门")
    assert kiosk.sees("已开门")
    kiosk.press("今日签到")
    assert kiosk.sees("15:30")
    kiosk.screenshot("26-admin-visits")
    kiosk.press("返回")
    kiosk.press("需联系家长")
    kiosk.screenshot("27-admin-contact-due")
    kiosk.press("返回")
    kiosk.press("借阅记录")
    kiosk.press("未还")
    kiosk.screenshot("28-admin-records")
    kiosk.press("返回")
    kiosk.press("同步")
    assert kiosk.sees("未连接服务器")
    kiosk.screenshot("29-admin-sync")
    kiosk.press("返回")
    kiosk.press("设置")
    kiosk.press("每周")
    assert kiosk.app.admin_screen.page is AdminPage.SETTINGS
    kiosk.screenshot("30-admin-settings")
    kiosk.press("English")
    assert kiosk.sees("Language")
    kiosk.screenshot("31-admin-settings-en")


def test_stocktake_finds_missing_and_unexpected(kiosk: Any, room: Room) -> None:
    books = room.barcodes(ItemKind.BOOK, 3)
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("盘点")
    for code in books + ["XX999999"]:
        kiosk.scan(code)
    assert kiosk.sees("已扫描 4 件")
    kiosk.screenshot("32-admin-stocktake")
    kiosk.press("完成盘点")
    assert kiosk.sees("多出 1 件") and kiosk.sees("XX999999")
    kiosk.screenshot("33-admin-stocktake-report")


def test_leaving_admin_mode_closes_the_stocktake_keypad(kiosk: Any, room: Room) -> None:
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("盘点")
    kiosk.press("输入条码")
    assert kiosk.popups()
    kiosk.expire_inactivity_now()  # the teacher walked away with the keypad open
    assert kiosk.screen == "idle"
    assert not kiosk.popups(), kiosk.texts()
    assert kiosk.sees("请刷卡")


class RecordingSync:
    """Stands in for the sync client (sync.client.worker.SyncWorker): a status, and a button press log."""

    client = None  # a stand-in that cannot enrol

    def __init__(self) -> None:
        self.asked = 0

    def status(self) -> SyncStatus:
        return SyncStatus(True, True, 7, None, None)

    def sync_now(self) -> None:
        self.asked += 1


def test_sync_page_shows_the_clients_status_and_asks_it_to_sync(start_kiosk: Any, room: Room) -> None:
    sync = RecordingSync()
    kiosk = start_kiosk(sync=sync)
    assert kiosk.sees("在线")  # the idle badge reads the client's status
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("同步")
    assert kiosk.sees("待上传记录：7 条")
    kiosk.press("立即同步")
    assert sync.asked == 1 and kiosk.sees("已请求同步")


def test_a_rule_the_school_set_is_shown_not_offered(kiosk: Any, room: Room) -> None:
    with room.uow:  # what a pull carrying the school's rules writes (sync.client.school_rules)
        adopt_rules(room.uow.session, {"contact_cadence": "weekly", "timezone": "Asia/Shanghai"})
        room.uow.commit()
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("设置")
    assert kiosk.sees("每周 · 由学校统一设置")
    kiosk.press("每周 · 由学校统一设置")
    assert not kiosk.sees("每月") and current_settings(room.uow).contact_cadence is ContactCadence.WEEKLY
    kiosk.screenshot("30b-admin-settings-set-by-school")
