"""A kiosk whose database file was damaged comes back on the newest backup by itself, and its screen
says what was restored and from when, so the duty teacher knows what to check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.backups import check_database, list_backups, make_backup
from db.demo import DEMO_STAFF_PIN
from tests.conftest import Room
from tests.db.test_backups import damage, visits_in
from tests.ui.test_admin_flow import enter_pin


def test_a_damaged_database_is_restored_from_its_backup_and_the_screen_says_so(
    start_kiosk: Callable[..., Any], room: Room, db_path: Path
) -> None:
    room.tap(0)
    make_backup(db_path, "daily", datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    room.tap(1)
    room.uow.engine.dispose()
    damage(db_path)

    kiosk = start_kiosk()

    assert kiosk.sees("已自动恢复到 2026-11-23 20:00 的备份")  # the school's time
    assert kiosk.sees("kiosk-replaced-")
    kiosk.screenshot("60-database-restored")
    assert visits_in(db_path) == 1
    kiosk.card(room.card_of(2))
    assert kiosk.screen == "child"


def test_a_damaged_database_without_a_backup_is_said_on_screen_not_a_traceback(
    start_kiosk: Callable[..., Any], room: Room, db_path: Path
) -> None:
    room.uow.engine.dispose()
    damage(db_path)
    kiosk = start_kiosk(opens=False)
    assert not kiosk.app.ctrl_ready
    assert kiosk.sees("已损坏，也没有能用的备份") and kiosk.sees("自助机暂时不能用")
    assert not kiosk.sees("请刷卡")
    assert kiosk.sees(str(db_path))
    kiosk.screenshot("61-database-damaged-no-backup")
    assert db_path.exists()


def test_the_touchscreen_backs_itself_up(start_kiosk: Callable[..., Any], db_path: Path) -> None:
    kiosk = start_kiosk(backups=True)
    kiosk.wait_until(lambda: bool(list_backups(db_path)), "the first daily backup")
    [backup] = list_backups(db_path)
    assert backup.reason == "daily" and check_database(backup.path) is None


def test_the_health_page_shows_the_database_backups_and_clock(
    start_kiosk: Callable[..., Any], room: Room, db_path: Path
) -> None:
    room.tap(0)
    make_backup(db_path, "daily", datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    kiosk = start_kiosk()
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("状态")
    assert kiosk.sees("备份：1 份，最新 11月23日 20:00（完好）")
    assert kiosk.sees("待上传：1 条") and kiosk.sees("上次刷卡：11月23日 15:30")
    assert kiosk.sees("上次检查：") and kiosk.sees("时钟来源：")
    kiosk.screenshot("62-admin-health")


def test_a_new_kiosk_says_it_has_no_backup_yet(start_kiosk: Callable[..., Any], room: Room) -> None:
    kiosk = start_kiosk()
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("状态")
    assert kiosk.sees("备份：还没有")
    assert not kiosk.sees("0 份") and not kiosk.sees("最新 从未")
