"""An installed kiosk's first start: no demo data, no school; the office's enrolment QR code, typed into
the real window by a scanner (real X key events), or the address and code typed on the touchscreen's
keys, enrols it with a real server on 127.0.0.1, and the first sync brings the school's roster with its
duty teachers. And a kiosk whose identity cannot go on re-enrols as a new device from administrator
mode, keeping what it had not sent."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from db.demo import DEMO_STAFF_PIN
from db.models import Staff, SyncState
from db.pin_key_file import pin_key_path_for
from kiosk.commands.start import sync_worker_starter
from kiosk.platform.config import KioskConfig
from sync.client.token_store import token_path_for
from sync.client.worker import SyncWorker
from sync.server.cli.demo import import_demo_school
from sync.server.core.database import CentralDatabase
from sync.server.devices import provisioning
from sync.server.models import ReceivedEvent, School
from sync.server.models import Room as CentralRoom
from tests.conftest import Room
from tests.support.processes import ServerProcess
from tests.ui.test_admin_flow import RecordingSync, enter_pin
from tests.ui.test_sync_wired import (  # noqa: F401 - central: the real server fixture
    central,
    enrol,
    open_sync_page,
    synced_kiosk,
)
from tests.ui.xkeys import XKeyboard


def office_code(database: CentralDatabase) -> str:
    with database.writes() as session:
        school = provisioning.create_school(session, "阳光小学")
        room = provisioning.create_room(session, school.id, "留守儿童之家")
        import_demo_school(session, school.id, datetime.now(UTC))
        code = provisioning.issue_enrolment_code(session, room.id).code
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
    kiosk.wait_until(lambda: kiosk.app.enrolment.awaiting, "the first-start check")
    assert kiosk.sees("这台自助机还没有登记") and kiosk.sees("登记二维码")
    kiosk.screenshot("63-first-start-enrol")

    keyboard = XKeyboard(os.environ["DISPLAY"], pump=step)
    keyboard.focus(os.getpid())
    keyboard.type("liushou-enrol:?server=" + server.url + "&code=WRONG-CODE1")
    kiosk.wait_until(lambda: kiosk.sees("登记没有成功：没有这个登记码"), "the wrong code refused")
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
    assert kiosk.sees("请刷卡") and not kiosk.app.enrolment.awaiting
    kiosk.screenshot("64-first-start-enrolled")


def type_on_keys(kiosk: Any, text: str) -> None:
    """A finger on each key of the form's keyboard (letters as the keys show them)."""
    for char in text:
        kiosk.press(kiosk.keypad_key(char))


def roster_arrived(uow: Any) -> bool:
    with uow.read() as session:
        return (session.scalar(select(func.count()).select_from(Staff)) or 0) > 0


def test_a_fresh_kiosk_is_enrolled_with_the_address_and_code_typed_on_the_screen(
    start_kiosk: Callable[..., Any],
    central: tuple[ServerProcess, CentralDatabase],  # noqa: F811
    db_path: Path,
    kiosk_config: KioskConfig,
) -> None:
    server, database = central
    db_path.unlink()
    kiosk = start_kiosk(start_sync=sync_worker_starter(kiosk_config))
    kiosk.wait_until(lambda: kiosk.app.enrolment.awaiting, "the first-start check")
    kiosk.press("输入服务器地址和登记码")
    form = kiosk.app.enrolment.form
    assert form is not None and kiosk.sees("登记这台自助机")
    keys = [*form.keys.keys, *form.fields.values(), form.send_button]
    assert min(k.height for k in keys) >= 48 and min(k.width for k in form.keys.keys) >= 48

    kiosk.press("登记")  # nothing typed yet: the form says what is missing and sends nothing
    assert kiosk.sees("请填写服务器地址和登记码")
    kiosk.touch("服务器地址")
    kiosk.press("清空")
    type_on_keys(kiosk, server.url)  # http://127.0.0.1:port: plain HTTP only on this machine
    kiosk.touch("登记码")
    type_on_keys(kiosk, "WRONG-CODE1")
    kiosk.screenshot("65-first-start-typed")
    kiosk.press("登记")
    kiosk.wait_until(lambda: kiosk.sees("没有这个登记码"), "the wrong code refused in the form")
    assert kiosk.app.enrolment.form is form  # still open, with what was typed

    kiosk.press("清空")
    type_on_keys(kiosk, office_code(database))
    kiosk.press("登记")
    kiosk.wait_until(lambda: kiosk.sees("登记好了"), "the enrolment")
    assert kiosk.app.enrolment.form is None and not kiosk.app.enrolment.awaiting
    kiosk.wait_until(lambda: roster_arrived(kiosk.app.ctrl.uow), "the school's roster and duty teachers")
    assert kiosk.sees("请刷卡") and not kiosk.sees("输入服务器地址和登记码")


def test_a_kiosk_the_office_revoked_is_re_enrolled_as_a_new_device_and_keeps_its_records(
    synced_kiosk: tuple[Any, SyncWorker],  # noqa: F811
    central: tuple[ServerProcess, CentralDatabase],  # noqa: F811
    room: Room,
) -> None:
    from tests.ui.driver import step

    server, database = central
    kiosk, worker = synced_kiosk
    old_id = worker.client.device_id
    with database.writes() as session:  # the office revoked this kiosk (say, its card was copied)
        provisioning.revoke_device(session, old_id)
        session.commit()

    kiosk.card(room.card_of(0))  # the room goes on: a sign-in the server has not got
    open_sync_page(kiosk, room)
    kiosk.press("立即同步")
    kiosk.wait_until(lambda: worker.status().last_error is not None, "the revoked token refused")
    kiosk.press("作为新设备重新登记")
    assert kiosk.sees("没上传的记录会在新设备名下上传") and kiosk.sees(f"服务器地址：{server.url}")
    kiosk.screenshot("66-admin-re-enrol-new-device")

    with database.writes() as session:
        school = session.scalars(select(School)).one()
        room_id = session.scalars(select(CentralRoom.id)).one()
        code = provisioning.issue_enrolment_code(session, room_id).code
        session.commit()
    keyboard = XKeyboard(os.environ["DISPLAY"], pump=step)
    keyboard.focus(os.getpid())
    keyboard.type("liushou-enrol:?server=" + server.url + "&code=" + code)  # the office's QR code
    kiosk.wait_until(lambda: kiosk.sees("已作为新设备登记"), "the re-enrolment")
    assert kiosk.app.enrolment.form is None
    new_id = worker.client.device_id
    assert new_id != old_id
    kiosk.wait_until(lambda: worker.status().pending_events == 0, "the sign-in sent under the new device")
    with database.reads() as session:
        sign_ins = session.scalars(
            select(ReceivedEvent.device_id).where(
                ReceivedEvent.school_id == school.id, ReceivedEvent.type == "visit.signed_in"
            )
        ).all()
    assert sign_ins == [new_id]
    kiosk.wait_until(lambda: kiosk.sees("待上传记录：0 条"), "the page to read the status again")
    kiosk.screenshot("67-admin-re-enrolled")


def test_the_re_enrolment_form_closes_when_administrator_mode_times_out(
    start_kiosk: Callable[..., Any], room: Room
) -> None:
    kiosk = start_kiosk(sync=RecordingSync())
    kiosk.card(room.staff_card())
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.press("同步")
    kiosk.press("作为新设备重新登记")
    assert kiosk.app.enrolment.form is not None
    kiosk.expire_inactivity_now()
    assert kiosk.app.enrolment.form is None and kiosk.screen == "idle"


def test_a_backup_on_a_new_sd_card_asks_to_re_enrol_and_the_room_goes_on_meanwhile(
    synced_kiosk: tuple[Any, SyncWorker],  # noqa: F811
    start_kiosk: Callable[..., Any],
    central: tuple[ServerProcess, CentralDatabase],  # noqa: F811
    db_path: Path,
    room: Room,
    kiosk_config: KioskConfig,
) -> None:
    server, database = central
    kiosk, worker = synced_kiosk
    old_id = worker.client.device_id
    kiosk.stop()
    # The card is re-imaged and the backup put back: the token and the PIN seal key stayed on the old one.
    token_path_for(db_path).unlink()
    pin_key_path_for(db_path).unlink()

    kiosk = start_kiosk(start_sync=sync_worker_starter(kiosk_config))
    kiosk.wait_until(lambda: kiosk.app.enrolment.identity_lost, "the start check")
    assert kiosk.sees("请刷卡") and kiosk.sees("与学校服务器的连接丢失了")
    kiosk.screenshot("68-new-card-identity-lost")
    kiosk.card(room.card_of(0))  # the room goes on: a child signs in
    assert kiosk.screen == "child"
    kiosk.expire_inactivity_now()
    kiosk.card(room.staff_card())  # the PINs were sealed with the old card's key
    enter_pin(kiosk, DEMO_STAFF_PIN)
    assert kiosk.sees("设备密钥已更换")
    kiosk.expire_inactivity_now()

    kiosk.press("作为新设备重新登记")
    assert kiosk.sees(f"服务器地址：{server.url}")  # the server it synced with, filled in
    with database.writes() as session:
        code = provisioning.issue_enrolment_code(session, session.scalars(select(CentralRoom.id)).one()).code
        session.commit()
    type_on_keys(kiosk, code)
    kiosk.press("登记")
    kiosk.wait_until(lambda: kiosk.sees("已作为新设备登记"), "the re-enrolment")
    worker = kiosk.app.running_sync
    assert worker.client.device_id != old_id and not kiosk.app.enrolment.identity_lost
    kiosk.wait_until(lambda: worker.status().pending_events == 0, "the sign-in sent under the new device")
    assert not kiosk.sees("与学校服务器的连接丢失了")

    kiosk.card(room.staff_card())  # the new identity's pull sealed the PINs with this card's key
    enter_pin(kiosk, DEMO_STAFF_PIN)
    kiosk.wait_until(lambda: kiosk.screen == "admin", "administrator mode")
