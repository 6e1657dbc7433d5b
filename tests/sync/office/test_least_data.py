"""Least data (issue 23, item 2): the national 学籍号 is "G" and the child's ID number, so the office
keeps it only as a keyed hash (the key is the server's secret file, not in the database) and what the
office shows (its last four characters). Whatever way a number comes in — a roster with a 身份证件号
column and 全国学籍号, a preview left abandoned, the child's edit form — no ID number is in the
central database's bytes: the SQLite file and its -wal, or a pg_dump of PostgreSQL. A preview nobody
confirms loses its names and phone numbers within the hour."""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from sync.server.models import CentralChild, RosterImport
from tests.support.processes import PG_BIN
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.roster_pages import confirm, form_fields, kept_children, upload
from tests.sync.office.school_rosters import id_number, pupils, township_form, two_row_headings


def database_bytes(server, backend: str) -> bytes:
    """Everything the central database holds, as bytes: the SQLite file and its write-ahead log, or
    PostgreSQL's dump of the database."""
    url = make_url(server.database_url)
    if backend == "sqlite":
        path = Path(url.database)
        found = path.read_bytes()
        for extra in (Path(f"{path}-wal"), Path(f"{path}-journal")):
            if extra.exists():
                found += extra.read_bytes()
        return found
    assert PG_BIN is not None
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "-h", url.host, "-p", str(url.port), "-U", url.username, url.database],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


def test_no_id_number_in_the_central_database(
    server, backend: str, central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    imported = pupils(8, seed=41, classes=("三年级(1)班", "四年级(2)班"))
    confirm(browser, upload(browser, office_school, "花名册.xlsx", township_form(imported)))
    abandoned = pupils(6, seed=42, classes=("一年级(1)班",))
    preview = upload(browser, office_school, "登记表.xlsx", two_row_headings(abandoned))
    assert "/roster/imports/" in preview.url  # left as it is: nobody confirms or cancels it

    # The clerk types a national number into a child's edit form, and adds a child by hand.
    typed_id = id_number("522623", datetime(2017, 4, 9).date(), 321)
    child = kept_children(central, office_school.id)[imported[0].name].child
    edit = browser.get(f"{office_school.base}/children/{child.id}/edit")
    fields = dict(form_fields(edit, f"/children/{child.id}/edit"))
    fields["student_no"] = "G" + typed_id
    saved = browser.post(f"{office_school.base}/children/{child.id}/edit", fields)
    assert saved.status == 200 and "saved=1" in saved.url, saved.text[-800:]
    new_id = id_number("341321", datetime(2018, 1, 30).date(), 77)
    browser.get(f"{office_school.base}/children/new")
    added = browser.post(
        f"{office_school.base}/children",
        {
            "name": "欧阳娜娜", "student_no": new_id, "class_name": "三年级(1)班", "gender": "male",
            "birthday": "2018-01-30", "guardian_type": "grandparents", "father_away": "yes",
            "mother_away": "yes", "joined_on": "2026-09-01",
        },
    )  # fmt: skip
    assert added.status == 200 and "saved=1" in added.url, added.text[-800:]

    with central.db.reads() as session:
        numbers = dict(
            session.execute(
                select(CentralChild.name, CentralChild.student_no).where(
                    CentralChild.school_id == office_school.id,
                    CentralChild.name.in_(["欧阳娜娜", child.name]),
                )
            ).all()
        )
    assert numbers == {child.name: "G****" + typed_id[-4:], "欧阳娜娜": "****" + new_id[-4:]}

    everything = database_bytes(server, backend)
    log = server.log_path.read_bytes()
    for number in [p.id_number for p in imported + abandoned] + [typed_id, new_id]:
        for piece in (number, number[:17], number[6:14] + number[14:17]):
            assert piece.encode() not in everything, f"{piece} is in the central database"
            assert piece.encode() not in log, f"{piece} is in the server's log"


def test_an_abandoned_preview_is_gone_within_the_hour(
    central: Central, office_school: OfficeSchool, client
) -> None:
    """The server sweeps previews nobody confirmed: one left 50 minutes ago is gone, with its names and
    phone numbers, without anyone opening a page (the sweep runs in the server, every few minutes;
    here the sweep is run as the server runs it, on a preview made to look old)."""
    from sync.server.office.sheets.staging import STAGING_LIFETIME, SWEEP_EVERY, sweep_stale

    assert timedelta(hours=1) >= STAGING_LIFETIME + SWEEP_EVERY
    browser = client(office_school.admin)
    fresh = upload(browser, office_school, "今天的.xlsx", township_form(pupils(3, seed=43)))
    old = upload(browser, office_school, "上午的.xlsx", township_form(pupils(3, seed=44)))
    old_id = old.url.rstrip("/").split("/")[-1]
    with central.edit() as session:
        session.execute(
            update(RosterImport)
            .where(RosterImport.id == _uuid(old_id))
            .values(created_at=datetime.now(UTC) - STAGING_LIFETIME - timedelta(minutes=1))
        )
    with central.edit() as session:
        sweep_stale(session, datetime.now(UTC))
    with central.db.reads() as session:
        left = set(session.scalars(select(RosterImport.id).where(RosterImport.school_id == office_school.id)))
    assert _uuid(old_id) not in left and _uuid(fresh.url.rstrip("/").split("/")[-1]) in left
    gone = browser.get(old.url.replace(browser.base, ""))
    assert gone.status == 404


def test_the_running_server_sweeps_by_itself(central: Central, office_school: OfficeSchool, client) -> None:
    """The sweep is part of the server: started with it, it removes a stale preview without any request.
    (The test servers sweep every few seconds, SYNC_SWEEP_SECONDS in tests/sync/conftest.py; a school's
    server every five minutes.)"""
    from sync.server.office.sheets.staging import STAGING_LIFETIME

    browser = client(office_school.admin)
    old = upload(browser, office_school, "上午的.xlsx", township_form(pupils(2, seed=45)))
    old_id = _uuid(old.url.rstrip("/").split("/")[-1])
    with central.edit() as session:
        session.execute(
            update(RosterImport)
            .where(RosterImport.id == old_id)
            .values(created_at=datetime.now(UTC) - STAGING_LIFETIME - timedelta(minutes=1))
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with central.db.reads() as session:
            if not session.scalar(select(func.count()).where(RosterImport.id == old_id)):
                return
        time.sleep(1)
    raise AssertionError("the server did not sweep the stale preview")


def _uuid(text: str):
    import uuid

    return uuid.UUID(text)
