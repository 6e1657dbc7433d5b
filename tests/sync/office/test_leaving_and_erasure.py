"""A child who leaves, done in the office pages, reaches a real kiosk at its next sync: the child is off
the kiosk and the card is refused. After the retention period the child's personal data is erased —
the name and the phone numbers are then in neither database file (the bytes are searched) — while the
semester's totals stay what they were."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Card, Child, Contact
from kiosk.services import signin
from sync.server.bootstrap import open_central
from sync.server.models import CentralChild, CentralContact, OfficeRole
from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, Kiosk
from tests.sync.office.conftest import OfficeSchool, add_user, classes_from_children
from tests.sync.office.officeclient import OfficeClient
from tests.sync.office.workbooks import table

UNIQUE_NAME = "欧阳测试删除"
UNIQUE_PHONE = "13912340987"


def files_of(database: Path) -> list[Path]:
    return [p for p in (database, Path(f"{database}-wal")) if p.exists()]


def contains(paths: list[Path], text: str) -> bool:
    needle = text.encode()
    return any(needle in path.read_bytes() for path in paths)


@pytest.fixture
def own_server(tmp_path: Path):
    """A server of its own on a SQLite file, so the file holds nobody else's children."""
    database = tmp_path / "central.sqlite3"
    server = ServerProcess(f"sqlite:///{database}", tmp_path / "server.log").start()
    central = Central(open_central(server.database_url, migrate=False))
    yield server, central, database
    server.stop()
    central.db.engine.dispose()


def statistics_totals(browser: OfficeClient, school: OfficeSchool) -> list:
    response = browser.download(
        f"{school.base}/reports/statistics/export", format="xlsx", period="semester:2026-autumn"
    )
    assert response.status_code == 200
    return [table(response.content, title).total for title in ("按监护类型", "按父母外出情况", "按性别")]


def test_a_child_who_left_is_off_the_kiosk_and_erased_later_from_both_databases(
    own_server, tmp_path: Path
) -> None:
    server, central, server_file = own_server
    ref = central.new_school("清水小学")
    classes_from_children(central, ref.id)
    school = OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    browser = OfficeClient(server.url)
    browser.login(school.admin.username, school.admin.password)

    kiosk = Kiosk(tmp_path / "kiosk.sqlite3")
    kiosk.enrol(server.url, central.code(ref))
    room = kiosk.room
    child_id, card = room.child(3), room.card_of(3)
    signin.tap_card(kiosk.uow, card)  # a visit before leaving, which the totals keep
    kiosk.clock.advance(minutes=30)
    signin.tap_card(kiosk.uow, card)

    # The office gives the child a name and a callee number nobody else has, so the search is exact.
    edit = browser.get(f"{school.base}/children/{child_id}/edit")
    assert edit.status == 200
    with central.db.reads() as session:
        child = session.get(CentralChild, child_id)
        contact = session.scalars(select(CentralContact).where(CentralContact.child_id == child_id)).first()
        form = {
            "name": UNIQUE_NAME,
            "student_no": "QS0001",
            "class_name": child.class_name,
            "gender": "female",
            "birthday": "2016-03-09",
            "guardian_type": child.guardian_type.value,
            "father_away": "on",
            "mother_away": "on",
        }
    assert browser.post(f"{school.base}/children/{child_id}/edit", form).status == 200
    saved = browser.post(
        f"{school.base}/children/{child_id}/contacts",
        {
            "contact_id": str(contact.id),
            "relation": contact.relation.value,
            "name": "欧阳父亲",
            "phone": UNIQUE_PHONE,
            "allowed_to_call": "on",
        },
    )
    assert saved.status == 200
    kiosk.sync()
    with kiosk.uow.read() as session:
        assert session.get(Child, child_id).name == UNIQUE_NAME
    # The search below finds these values while they are there (so its silence later means something).
    assert contains(files_of(server_file), UNIQUE_NAME) and contains(files_of(server_file), UNIQUE_PHONE)
    assert contains(files_of(kiosk.path), UNIQUE_NAME) and contains(files_of(kiosk.path), UNIQUE_PHONE)

    # Leaving: four years ago, so the retention period (three years) has passed.
    left = browser.post(f"{school.base}/children/{child_id}/deactivate", {"left_on": "2022-07-01"})
    assert left.status == 200
    before = statistics_totals(browser, school)
    assert before[0][1] > 0
    kiosk.sync()
    with kiosk.uow.read() as session:
        assert not session.get(Child, child_id).active
        assert session.get(Card, card).status.value == "retired"
    refused = signin.tap_card(kiosk.uow, card)
    assert isinstance(refused, signin.InactiveCardTapped)

    erasure = browser.get(f"{school.base}/erasure")
    assert UNIQUE_NAME in erasure.text  # what will be erased is shown before it is
    without_confirmation = browser.post(f"{school.base}/erasure", {"child_id": str(child_id)})
    assert without_confirmation.status == 400
    done = browser.post(f"{school.base}/erasure", {"child_id": str(child_id), "confirm": "on"})
    assert "已删除 1 个孩子的个人信息" in done.text
    kiosk.sync()

    with central.db.reads() as session:
        erased = session.get(CentralChild, child_id)
        assert (
            erased.erased_at is not None and erased.student_no is None and erased.birthday == date(2016, 3, 2)
        )
    with kiosk.uow.read() as session:
        assert session.get(Child, child_id).name != UNIQUE_NAME
        assert UNIQUE_PHONE not in session.scalars(select(Contact.phone)).all()
    kiosk.uow.engine.dispose()
    assert not contains(files_of(server_file), UNIQUE_NAME) and not contains(
        files_of(server_file), UNIQUE_PHONE
    )
    assert not contains(files_of(kiosk.path), UNIQUE_NAME) and not contains(
        files_of(kiosk.path), UNIQUE_PHONE
    )
    assert statistics_totals(browser, school) == before
    audit = browser.get(f"{school.base}/audit").table("audit")
    assert any(row[2] == "删除个人信息" for row in audit[1:])
