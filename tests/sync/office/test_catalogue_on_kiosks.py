"""A book the office imports reaches the room: a real kiosk (SyncClient, its own SQLite file) enrolled at
the school pulls it and lends a copy by its barcode, at its first sync and — for what the office
imports later — at its next one; the loan comes back and the office's list shows the copy out."""

from __future__ import annotations

from db.enums import ItemKind
from kiosk.services import loans
from tests.sync.conftest import Central
from tests.sync.office.cataloguefiles import ISBN_13, copy_row, csv_bytes, xlsx
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.test_catalogue import confirm, upload


def test_an_imported_book_is_lent_at_the_kiosk_by_its_barcode(
    central: Central, office_school: OfficeSchool, client, new_kiosk, server
) -> None:
    office = client(office_school.admin)
    shelf = [
        copy_row("HB000001", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80"),
        copy_row("HB000002", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80"),
    ]
    assert (
        "新增 2 册（件）"
        in confirm(office, upload(office, office_school, "新书.xlsx", xlsx("新书", shelf))).text
    )

    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(office_school.ref))  # enrolling pulls the school's catalogue
    receipt = loans.borrow_copy(kiosk.uow, kiosk.room.child(0), "HB000001")
    assert (receipt.title, receipt.kind, receipt.barcode) == ("小猪佩奇", ItemKind.BOOK, "HB000001")
    copy = loans.copy_on_file(kiosk.uow, "HB000002")  # as the office imported it, price and all
    assert (copy.title, copy.price_fen, copy.borrower_id) == ("小猪佩奇", 2580, None)

    # Bought later, imported after the kiosk's first pull: it comes with the next sync.
    later = csv_bytes([copy_row("HB000101", "中国象棋（折叠）", kind="棋类", price="35")], "gbk")
    confirm(office, upload(office, office_school, "器材.csv", later))
    kiosk.sync()
    chess = loans.borrow_copy(kiosk.uow, kiosk.room.child(1), "HB000101")
    assert (chess.title, chess.kind) == ("中国象棋（折叠）", ItemKind.CHESS)

    kiosk.sync()  # the loans go up
    assert kiosk.pending() == 0
    listing = office.get(f"{office_school.base}/catalogue", q="HB0000")
    row = next(r for r in listing.table("catalogue")[1:] if r[0] == "小猪佩奇")
    assert (row[5], row[6]) == ("2", "1")  # two copies, one of them out
