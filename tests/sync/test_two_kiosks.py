"""Two kiosks of one school, each with its own database, sync to one real server."""

from __future__ import annotations

import logging
import uuid

from db.enums import CallKind, CallReason, GuardianType, Relation
from db.models import Child
from kiosk.services import calls, loans, signin, signout
from sync.server.models import CentralChild, CentralContact
from tests.sync.conftest import Central, Kiosk, SchoolRef


def a_busy_afternoon(kiosk: Kiosk, first_child: int) -> None:
    room = kiosk.room
    for n in range(first_child, first_child + 5):
        room.tap(n)  # 签到
        kiosk.clock.advance(minutes=1)
    call = calls.start_family_call(
        kiosk.uow,
        room.child(first_child),
        room.callees(first_child)[0].id,
        CallKind.PHONE,
        CallReason.MISS_FAMILY,
    )
    kiosk.clock.advance(minutes=5)
    calls.end_family_call(kiosk.uow, call.call_id)
    loans.borrow_copy(kiosk.uow, room.child(first_child + 1), room.barcodes("book", 40)[first_child])
    kiosk.clock.advance(minutes=30)
    for n in range(first_child, first_child + 5):
        assert isinstance(room.tap(n), signin.AskSignOut)  # a second tap asks 要签退吗？
        signout.sign_out(kiosk.uow, room.child(n))  # 是: 签退
        kiosk.clock.advance(seconds=20)


def test_every_event_of_two_kiosks_arrives_once(
    central: Central, school: SchoolRef, new_kiosk, server
) -> None:
    library, reading_room = new_kiosk("library"), new_kiosk("reading-room")
    for kiosk in (library, reading_room):
        kiosk.enrol(server.url, central.code(school))
    a_busy_afternoon(library, 0)
    a_busy_afternoon(reading_room, 10)

    for kiosk in (library, reading_room, library):
        kiosk.sync()

    for kiosk in (library, reading_room):
        stored = central.events_of(kiosk.device_id)
        assert {e.id for e in stored} == kiosk.outbox_ids()
        assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
        assert kiosk.pending() == 0
    assert central.event_count(school) == len(library.outbox_ids()) + len(reading_room.outbox_ids())


def test_both_kiosks_see_a_new_pupil_added_at_the_centre(
    central: Central, school: SchoolRef, new_kiosk, server, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    kiosks = [new_kiosk("library"), new_kiosk("reading-room")]
    for kiosk in kiosks:
        kiosk.enrol(server.url, central.code(school))
    new_pupil, her_mother = uuid.uuid4(), uuid.uuid4()
    with central.edit() as session:
        session.add(
            CentralChild(
                id=new_pupil,
                school_id=school.id,
                name="李小花",
                class_name="一年级(1)班",
                grade=1,
                birthday=None,
                guardian_type=GuardianType.ONE_PARENT,
                active=True,
            )
        )
        session.flush()
        session.add(
            CentralContact(
                id=her_mother,
                school_id=school.id,
                child_id=new_pupil,
                relation=Relation.MOTHER,
                name="王芳",
                phone="13800009999",
                allowed_to_call=True,
            )
        )

    for kiosk in kiosks:
        report = kiosk.sync()
        assert report.pulled == 2
        with kiosk.uow.read() as session:
            assert session.get(Child, new_pupil) is not None
            assert [c.name for c in session.get(Child, new_pupil).contacts] == ["王芳"]

    # children's data is never logged, on either side
    for secret in ("李小花", "王芳", "13800009999"):
        assert secret not in caplog.text
        assert secret not in server.log_path.read_text(encoding="utf-8")
