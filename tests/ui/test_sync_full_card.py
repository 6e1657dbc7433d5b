"""The touchscreen's sync page when the kiosk's card is full: a real tmpfs under the kiosk's database, the
app's real sync worker, a real server on 127.0.0.1. 立即同步 on a full card says why nothing moves (the
card, where it is, that nothing is lost); once space is freed the next 立即同步 sends everything."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.demo import DemoSummary
from db.pin_key_file import pin_key_path_for
from sync.client.worker import SyncWorker
from sync.server.core.database import CentralDatabase
from tests.conftest import Room
from tests.support.full_card import fill, tmpfs
from tests.support.processes import ServerProcess
from tests.ui.test_sync_wired import central, open_sync_page, received_sign_ins, synced_kiosk

__all__ = ["central", "synced_kiosk"]  # fixtures, used by name below

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def db_path(tmp_path: Path, demo_template: tuple[Path, DemoSummary]) -> Iterator[Path]:
    """The demo room's database on a small card of its own."""
    with tmpfs(tmp_path / "card", "24m") as card:
        path = card / "kiosk.sqlite3"
        shutil.copyfile(demo_template[0], path)
        shutil.copy(pin_key_path_for(demo_template[0]), pin_key_path_for(path))
        yield path


def test_sync_on_a_full_card_says_why_and_sends_everything_once_space_is_freed(
    synced_kiosk: tuple[Any, SyncWorker],
    central: tuple[ServerProcess, CentralDatabase],
    db_path: Path,
    room: Room,
) -> None:
    database = central[1]
    kiosk, worker = synced_kiosk
    kiosk.card(room.card_of(0))  # a child signs in: one event waiting
    open_sync_page(kiosk, room)
    with sqlite3.connect(db_path) as connection:  # an empty WAL: acknowledging the event must grow it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = fill(db_path.parent)

    kiosk.press("立即同步")
    kiosk.wait_until(lambda: worker.status().storage_full is not None, "the sync to meet the full card")
    kiosk.press("返回")
    kiosk.press("同步")
    assert kiosk.sees("存储卡满了：同步暂停") and kiosk.sees(str(db_path.parent))
    assert kiosk.sees("待上传记录：1 条")
    kiosk.screenshot("69-admin-sync-card-full")

    filler.unlink()
    kiosk.press("立即同步")
    kiosk.wait_until(lambda: worker.status().pending_events == 0, "the outbox to be acknowledged")
    assert received_sign_ins(database) == 1  # sent once, though the server may have heard it twice
    kiosk.press("返回")
    kiosk.press("同步")
    assert kiosk.sees("待上传记录：0 条") and not kiosk.sees("存储卡满了")
    kiosk.stop()
