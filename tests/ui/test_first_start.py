"""An installed kiosk's first start: no demo data, no school; the office's enrolment QR code, typed into
the real window by a scanner (real X key events), enrols it with a real server on 127.0.0.1, and the
first sync brings the school's roster with its duty teachers."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from db.models import Staff, SyncState
from kiosk.__main__ import sync_worker_starter
from kiosk.config import KioskConfig
from sync.server import admin
from sync.server.database import CentralDatabase
from sync.server.demo import import_demo_school
from sync.testing.processes import ServerProcess
from tests.ui.test_sync_wired import central  # noqa: F401 - the real server fixture
from tests.ui.xkeys import XKeyboard


def office_code(database: CentralDatabase) -> str:
    with database.writes() as session:
        school = admin.create_school(session, "阳光小学")
        room = admin.create_room(session, school.id, "留守儿童之家")
        import_demo_school(session, school.id, datetime.now(UTC))
        code = admin.issue_enrolment_code(session, room.id).code
        session.commit()
    return code


def test_a_fresh_kiosk_is_enrolled_by_scanning_the_offices_code(
    start_kiosk: Callable[..., Any],
    central: tuple[ServerProcess, CentralDatabase],  # noqa: F811
    db_path: Path,
    kiosk_config: KioskConfig,
) -> None:
    from tests.ui.driver import step

    server, database = central
    db_path.unlink()  # an installed kiosk: no demo data, nothing at all
    kiosk = start_kiosk(start_sync=sync_worker_starter(kiosk_config))
    kiosk.wait_until(lambda: kiosk.app.awaiting_enrolment, "the first-start check")
    assert kiosk.sees("这台自助机还没有登记") and kiosk.sees("登记二维码")
    kiosk.screenshot("63-first-start-enrol")

    keyboard = XKeyboard(os.environ["DISPLAY"], pump=step)
    keyboard.focus(os.getpid())
    keyboard.type("liushou-enrol:?server=" + server.url + "&code=WRONG-CODE1")
    kiosk.wait_until(lambda: kiosk.sees("登记没有成功"), "the wrong code refused")
    keyboard.type("liushou-enrol:?server=" + server.url + "&code=" + office_code(database))
    kiosk.wait_until(lambda: kiosk.sees("登记好了"), "the enrolment")
    uow = kiosk.app.ctrl.uow

    def staff_arrived() -> bool:
        with uow.read() as session:
            return (
                session.get(SyncState, 1) is not None
                and (session.scalar(select(func.count()).select_from(Staff)) or 0) > 0
            )

    kiosk.wait_until(staff_arrived, "the school's roster and duty teachers")
    assert kiosk.sees("请刷卡") and not kiosk.app.awaiting_enrolment
    kiosk.screenshot("64-first-start-enrolled")
