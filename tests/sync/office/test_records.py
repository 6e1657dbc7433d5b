"""What sync brings in, as the office sees it: a conflict told with names and resolved with a note, the
received events searched by kiosk and by child, and each kiosk's state as it reported it."""

from __future__ import annotations

from sqlalchemy import select

from db.events import CardRegistered
from kiosk.services import loans
from sync.server.models import CentralCatalogueItem, CentralChild, CentralCopy, Conflict
from sync.server.models.facts import ConflictKind, ConflictStatus, SetAsideEvent
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool


def test_a_copy_lent_at_two_kiosks_is_shown_with_names_and_resolved_with_a_note(
    central: Central, office_school: OfficeSchool, new_kiosk, server, client
) -> None:
    library, reading_room = new_kiosk("library"), new_kiosk("reading-room")
    for kiosk in (library, reading_room):
        kiosk.client.enrol(server.url, central.code(office_school.ref), label=f"{kiosk.path.stem}角")
    barcode = library.room.barcodes("book", 1)[0]
    loans.borrow_copy(library.uow, library.room.child(0), barcode)
    loans.borrow_copy(reading_room.uow, reading_room.room.child(1), barcode)
    library.sync()
    reading_room.sync()

    browser = client(office_school.admin)
    page = browser.get(f"{office_school.base}/conflicts")
    with central.db.reads() as session:
        title = session.scalar(
            select(CentralCatalogueItem.title)
            .join(CentralCopy, CentralCopy.item_id == CentralCatalogueItem.id)
            .where(CentralCopy.barcode == barcode, CentralCopy.school_id == office_school.id)
        )
        [conflict] = session.scalars(
            select(Conflict).where(
                Conflict.school_id == office_school.id, Conflict.kind == ConflictKind.COPY_LENT_TWICE
            )
        ).all()
    assert "同一件物品在两台自助机上同时借出" in page.text
    assert (
        f"《{title}》 {barcode}" in page.text and "library角" in page.text and "reading-room角" in page.text
    )
    assert conflict.detail["copy_id"] not in page.text  # names, not UUIDs
    assert all(loan["device_id"] not in page.text for loan in conflict.detail["loans"])

    refused = browser.post(f"{office_school.base}/conflicts/{conflict.id}/resolve", {"note": "  "})
    assert "请写明处理情况" in refused.text
    done = browser.post(
        f"{office_school.base}/conflicts/{conflict.id}/resolve", {"note": "阅览室那本是另一本，已贴新标签"}
    )
    assert done.status == 200 and "没有需要处理的冲突" in done.text
    with central.db.reads() as session:
        stored = session.get(Conflict, conflict.id)
    assert (
        stored.status is ConflictStatus.RESOLVED
        and stored.resolution_note == "阅览室那本是另一本，已贴新标签"
    )
    everything = browser.get(f"{office_school.base}/conflicts", show="all")
    assert "已处理" in everything.text and "已贴新标签" in everything.text


def test_the_received_events_are_found_by_kiosk_and_by_child(
    central: Central, office_school: OfficeSchool, new_kiosk, server, client
) -> None:
    kiosk = new_kiosk("room")
    kiosk.enrol(server.url, central.code(office_school.ref))
    for n in range(3):
        kiosk.room.tap(n)
        kiosk.clock.advance(minutes=1)
    kiosk.sync()
    browser = client(office_school.admin)
    with central.db.reads() as session:
        name = session.get(CentralChild, kiosk.room.child(1)).name
    everything = browser.get(f"{office_school.base}/events", kiosk=str(kiosk.device_id))
    assert len(everything.table("events")) - 1 == 3
    found = browser.get(f"{office_school.base}/events", kiosk=str(kiosk.device_id), child=name)
    rows = found.table("events")[1:]
    assert len(rows) == 1 and rows[0][3] == "签到" and name in rows[0][4]
    kiosks = browser.get(f"{office_school.base}/kiosks")
    assert "0.1.0" in kiosks.text  # the version the kiosk reported with its push


def test_an_event_the_server_set_aside_is_shown_to_the_office_and_dealt_with(
    central: Central, office_school: OfficeSchool, new_kiosk, server, client
) -> None:
    kiosk = new_kiosk("room")
    kiosk.client.enrol(server.url, central.code(office_school.ref), label="图书角")
    kiosk.room.tap(0)
    poison = CardRegistered.model_construct(  # as a kiosk older than the card-number limit wrote it
        card_uid="0A" * 20, child_id=kiosk.room.child(5), staff_id=None, registered_by=kiosk.room.staff()
    )
    with kiosk.uow:
        kiosk.uow.record(poison)
        kiosk.uow.commit()
    kiosk.sync()
    assert kiosk.pending() == 0

    browser = client(office_school.admin)
    assert "1 条自助机记录未能入库" in browser.get(f"{office_school.base}/").text
    page = browser.get(f"{office_school.base}/conflicts")
    [row] = page.table("set_aside")[1:]
    assert row[1] == "图书角" and row[3] == "发卡" and row[4] == "内容与记录类型不符" and row[5] == "card_uid"
    assert "0A0A0A0A" not in page.text  # the card number stays out of the page
    with central.db.reads() as session:
        [stored] = session.scalars(
            select(SetAsideEvent).where(SetAsideEvent.school_id == office_school.id)
        ).all()
    browser.post(f"{office_school.base}/conflicts/set-aside/{stored.id}/resolve")
    assert browser.get(f"{office_school.base}/conflicts").table("set_aside")[1][0] == "没有未能入库的记录。"
    assert "未能入库" not in browser.get(f"{office_school.base}/").text
