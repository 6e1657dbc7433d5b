"""The school's erasure reaches every copy a kiosk holds: the backups made before it (daily and for an
upgrade) are rewritten at the kiosk's next sync and still restore the room, and a damaged file set
aside, which cannot be rewritten, is deleted. Every byte of every file in the kiosk's data folder is
searched for the erased child's name and its parent's phone number."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from db.backups import check_database, list_backups, make_backup, restore_backup
from kiosk.services import signin
from sync.server.models import CentralChild, CentralContact, OfficeRole
from tests.sync.conftest import Kiosk
from tests.sync.office.conftest import OfficeSchool, add_user, classes_from_children
from tests.sync.office.officeclient import OfficeClient
from tests.sync.office.test_leaving_and_erasure import own_server  # noqa: F401 - a fixture

UNIQUE_NAME = "司马测试备份"
UNIQUE_PHONE = "13800765432"


def holding(folder: Path, text: str) -> list[str]:
    """Every file under `folder` whose bytes contain `text` (UTF-8, as SQLite stores it)."""
    needle = text.encode()
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()
    )


def visits_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM visits").fetchone()[0]


def test_an_erasure_rewrites_the_kiosks_backups_and_deletes_the_files_set_aside(
    own_server,  # noqa: F811
    tmp_path: Path,
) -> None:
    server, central, _server_file = own_server
    ref = central.new_school("石桥小学")
    classes_from_children(central, ref.id)
    school = OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    browser = OfficeClient(server.url)
    browser.login(school.admin.username, school.admin.password)

    data = tmp_path / "kiosk-data"
    data.mkdir()
    kiosk = Kiosk(data / "kiosk.sqlite3")
    kiosk.enrol(server.url, central.code(ref))
    child_id, card = kiosk.room.child(2), kiosk.room.card_of(2)
    with central.db.reads() as session:
        child = session.get(CentralChild, child_id)
        contact = session.scalars(select(CentralContact).where(CentralContact.child_id == child_id)).first()
        form = {
            "name": UNIQUE_NAME,
            "class_name": child.class_name,
            "gender": "male",
            "birthday": "2015-10-20",
            "guardian_type": child.guardian_type.value,
            "father_away": "on",
        }
    renamed = browser.post(f"{school.base}/children/{child_id}/edit", form)
    assert renamed.status == 200
    phoned = browser.post(
        f"{school.base}/children/{child_id}/contacts",
        {
            "contact_id": str(contact.id),
            "relation": contact.relation.value,
            "name": "司马父亲",
            "phone": UNIQUE_PHONE,
            "allowed_to_call": "on",
        },
    )
    assert phoned.status == 200
    kiosk.sync()
    signin.tap_card(kiosk.uow, card)  # the room's record, which every backup must keep

    # copies of the kiosk's file: a daily backup, one before an upgrade, and a damaged file set aside
    daily = make_backup(kiosk.path, "daily", datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    upgrade = make_backup(kiosk.path, "upgrade", datetime(2026, 11, 21, 2, 0, tzinfo=UTC))
    kiosk.close()
    aside = restore_backup(kiosk.path, upgrade.path)  # as the start-up check does with a damaged file
    kiosk = Kiosk(kiosk.path)
    for text in (UNIQUE_NAME, UNIQUE_PHONE):  # found while there, so the silence below means something
        assert {daily.path.name, upgrade.path.name, aside.name} <= {Path(p).name for p in holding(data, text)}

    # the child leaves, the retention period has passed, and the office erases the child's data
    assert (
        browser.post(f"{school.base}/children/{child_id}/deactivate", {"left_on": "2022-07-01"}).status == 200
    )
    done = browser.post(f"{school.base}/erasure", {"child_id": str(child_id), "confirm": "on"})
    assert "已删除 1 个孩子的个人信息" in done.text
    kiosk.sync()
    kiosk.close()

    assert holding(data, UNIQUE_NAME) == [] and holding(data, UNIQUE_PHONE) == []
    assert not aside.exists()
    kept = {b.path.name: b.path for b in list_backups(kiosk.path)}
    assert set(kept) == {daily.path.name, upgrade.path.name}  # rewritten, not expired
    for path in kept.values():
        assert check_database(path) is None and visits_in(path) == 1
    with sqlite3.connect(kept[daily.path.name]) as connection:
        names = [
            row[0] for row in connection.execute("SELECT name FROM children WHERE id = ?", (child_id.hex,))
        ]
    assert names == ["（已删除）"]
