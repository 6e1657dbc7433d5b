"""The touchscreen as `python -m kiosk` starts it, syncing to a real server process on 127.0.0.1.

The sync tests prove the client against faults; this one proves the wiring: the app starts the real
sync worker once its database is open, the badge and the admin page read the worker's status, 立即同步
reaches the server, and closing the app stops the worker's thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.clock import ManualClock
from db.demo import DEMO_STAFF_PIN
from kiosk.commands.start import sync_worker_starter
from kiosk.platform.config import KioskConfig
from kiosk.services.database_open import open_database
from sync.client import SyncClient
from sync.client.worker import SyncWorker
from sync.server.bootstrap import open_central
from sync.server.cli.demo import import_demo_school
from sync.server.core.database import CentralDatabase
from sync.server.devices import provisioning
from sync.server.models import ReceivedEvent
from tests.conftest import Room
from tests.support.processes import ServerProcess
from tests.ui.test_admin_flow import enter_pin


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[ServerProcess, CentralDatabase]]:
    server = ServerProcess(f"sqlite:///{tmp_path / 'central.sqlite3'}", tmp_path / "server.log").start()
    database = open_central(server.database_url, migrate=False)
    try:
        yield server, database
    finally:
        database.engine.dispose()
        server.stop()


def enrol(db_path: Path, clock: ManualClock, server: ServerProcess, database: CentralDatabase) -> None:
    """The school's demo roster (same seed as the kiosk's demo data) and a one-time code, used by
    `python -m kiosk sync enrol` would do; the first sync is left to the app's worker."""
    with database.writes() as session:
        school = provisioning.create_school(session, "测试小学")
        room = provisioning.create_room(session, school.id, "留守儿童之家")
        import_demo_school(session, school.id, datetime.now(clock.now().tzinfo))
        code = provisioning.issue_enrolment_code(session, room.id).code
        session.commit()
    uow = open_database(db_path, clock)
    try:
        SyncClient(uow.engine, clock).enrol(server.url, code, then_sync=False)
    finally:
        uow.engine.dispose()


@pytest.fixture
def synced_kiosk(
    start_kiosk: Any,
    central: tuple[ServerProcess, CentralDatabase],
    db_path: Path,
    clock: ManualClock,
    kiosk_config: KioskConfig,
) -> tuple[Any, SyncWorker]:
    """An enrolled kiosk started as `python -m kiosk` starts it, once its worker's first sync is done."""
    server, database = central
    enrol(db_path, clock, server, database)
    kiosk = start_kiosk(start_sync=sync_worker_starter(kiosk_config))
    worker = kiosk.app.running_sync
    assert worker is not None
    kiosk.wait_until(lambda: worker.status().last_success_at is not None, "the first sync (roster pull)")
    return kiosk, worker


def open_sync_page(kiosk: Any, room: Room) -> None:
    """管理员 → 同步, as the duty teacher opens it: card, PIN, the page's button."""
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("同步")


def received_sign_ins(database: CentralDatabase) -> int:
    with database.reads() as session:
        query = select(func.count()).select_from(ReceivedEvent).where(ReceivedEvent.type == "visit.signed_in")
        return session.scalar(query) or 0


def test_the_app_runs_the_real_sync_worker_and_syncs_now_on_request(
    synced_kiosk: tuple[Any, SyncWorker], central: tuple[ServerProcess, CentralDatabase], room: Room
) -> None:
    server, database = central
    kiosk, worker = synced_kiosk
    kiosk.card(room.card_of(0))  # a child signs in: one event in the outbox
    assert worker.status().pending_events >= 1
    open_sync_page(kiosk, room)
    kiosk.press("立即同步")
    kiosk.wait_until(lambda: received_sign_ins(database) == 1, "the sign-in to reach the server")
    kiosk.wait_until(lambda: worker.status().pending_events == 0, "the outbox to be acknowledged")
    kiosk.press("返回")
    kiosk.press("同步")
    assert kiosk.sees("待上传记录：0 条") and kiosk.sees("上次同步")
    assert kiosk.sees(f"服务器：{server.url}") and kiosk.sees("时钟偏差")
    kiosk.screenshot("34-admin-sync-enrolled")

    kiosk.stop()
    assert worker._thread is None  # the app stopped the thread it started
