"""Correcting the catalogue by hand in the office: a title's misprint and price, a copy's replaced label
and a copy withdrawn (报废) — each reaches a real kiosk at its next sync; what the import would refuse
is refused here with the same reason; staff see no edit links and may not open the pages."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from db.enums import CopyStatus
from db.models import Copy
from kiosk.services import loans
from sync.server.models import CentralCatalogueItem, CentralCopy, OfficeRole
from tests.sync.conftest import Central
from tests.sync.office.cataloguefiles import ISBN_10, copy_row, csv_bytes
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.test_catalogue import confirm, upload


def _ids(central: Central, school: OfficeSchool, barcode: str) -> tuple[str, str]:
    with central.db.reads() as session:
        copy = session.scalar(
            select(CentralCopy).where(CentralCopy.school_id == school.id, CentralCopy.barcode == barcode)
        )
        return str(copy.item_id), str(copy.id)


def test_a_title_and_a_copy_corrected_in_the_office_reach_the_kiosk(
    central: Central, office_school: OfficeSchool, client, new_kiosk, server
) -> None:
    office = client(office_school.admin)
    shelf = [
        copy_row("JZ000001", "小王子（注音版", author="圣埃克苏佩里", price="18"),
        copy_row("JZ000002", "跳绳", kind="体育器材", price="5"),
    ]
    confirm(office, upload(office, office_school, "登记.csv", csv_bytes(shelf, "gbk")))
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(office_school.ref))
    item_id, copy_id = _ids(central, office_school, "JZ000001")
    base = office_school.base

    listing = office.get(f"{base}/catalogue", q="小王子")
    assert f"/catalogue/items/{item_id}" in listing.text  # the administrator's edit link
    page = office.get(f"{base}/catalogue/items/{item_id}")
    assert page.status == 200 and "JZ000001" in page.table("copies")[1][0]
    form = {
        "title": "小王子（注音版）",
        "kind": "book",
        "author": "圣埃克苏佩里",
        "isbn": ISBN_10,
        "price": "19.80",
    }
    saved = office.post(f"{base}/catalogue/items/{item_id}", form)
    assert saved.status == 200 and "已保存" in saved.text
    bad = office.post(f"{base}/catalogue/items/{item_id}", form | {"isbn": "7-02-000220-1", "price": "abc"})
    assert bad.status == 400 and "ISBN 不正确" in bad.text and "单价" in bad.text
    assert 'value="7-02-000220-1"' in bad.text  # the form comes back as typed

    copy_page = office.get(f"{base}/catalogue/copies/{copy_id}")
    assert copy_page.status == 200
    taken = office.post(
        f"{base}/catalogue/copies/{copy_id}",
        {"barcode": "JZ000002", "status": "in_service", "acquired_on": ""},
    )
    assert taken.status == 400 and "这个条码在本校已属于另一种图书或器材" in taken.text
    relabelled = office.post(
        f"{base}/catalogue/copies/{copy_id}",
        {"barcode": "JZ000009", "status": "in_service", "acquired_on": "2026-09-01"},
    )
    assert relabelled.status == 200 and "已保存" in relabelled.text
    _, rope = _ids(central, office_school, "JZ000002")
    office.get(f"{base}/catalogue/copies/{rope}")
    withdrawn = office.post(f"{base}/catalogue/copies/{rope}", {"barcode": "JZ000002", "status": "withdrawn"})
    assert withdrawn.status == 200

    kiosk.sync()
    book = loans.copy_on_file(kiosk.uow, "JZ000009")  # the new label, the corrected title and price
    assert (book.title, book.price_fen) == ("小王子（注音版）", 1980)
    with kiosk.uow.read() as session:
        assert session.scalar(select(Copy.status).where(Copy.barcode == "JZ000002")) is CopyStatus.WITHDRAWN
    with central.db.reads() as session:
        item = session.get(CentralCatalogueItem, uuid.UUID(item_id))
        assert item.isbn == "702000220X"
    log = office.get(f"{base}/audit")
    words = " ".join(" ".join(row) for row in log.table("audit"))
    assert "修改图书或器材" in words and "《小王子（注音版）》" in words
    assert "修改一册（件）" in words and "状态 报废" in words


def test_staff_read_the_catalogue_but_see_no_edit_links_and_may_not_edit(
    central: Central, office_school: OfficeSchool, client
) -> None:
    office = client(office_school.admin)
    confirm(
        office, upload(office, office_school, "a.csv", csv_bytes([copy_row("ST000001", "草房子")], "utf-8"))
    )
    item_id, copy_id = _ids(central, office_school, "ST000001")
    staff = client(add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id))
    listing = staff.get(f"{office_school.base}/catalogue", q="草房子")
    assert listing.status == 200 and "草房子" in listing.text
    assert not re.search(r"/catalogue/(items|copies)/", listing.text)
    assert staff.get(f"{office_school.base}/catalogue/items/{item_id}").status == 403
    assert staff.get(f"{office_school.base}/catalogue/copies/{copy_id}").status == 403
