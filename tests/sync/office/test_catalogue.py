"""Loading the room's books and equipment through the office pages: every row checked and shown before
anything is written, the reasons for every rejected row, Excel and the encodings Chinese schools save
CSV in, importing a file twice adds nothing, the export imports back unchanged, and who may do what."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from db.enums import CopyStatus, ItemKind
from sync.server.models import (
    AuditEntry,
    CentralCatalogueItem,
    CentralCopy,
    OfficeRole,
    RosterImport,
    School,
)
from sync.server.office import schools
from sync.server.office.catalogue.catalogue_import import WHAT
from tests.sync.conftest import Central
from tests.sync.office.cataloguefiles import ISBN_10, ISBN_13, copy_row, csv_bytes, xlsx
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.officeclient import OfficeClient, Page
from tests.sync.office.rosterfiles import row as roster_row
from tests.sync.office.rosterfiles import xlsx as roster_xlsx


def upload(browser: OfficeClient, school: OfficeSchool, filename: str, content: bytes) -> Page:
    browser.get(f"{school.base}/catalogue")
    return browser.post(f"{school.base}/catalogue/preview", files={"file": (filename, content)})


def confirm(browser: OfficeClient, preview: Page) -> Page:
    return browser.post(preview.url.replace(browser.base, "") + "/confirm")


def preview_rows(page: Page) -> dict[str, list[str]]:
    """Preview lines by barcode: [line, status, barcode, title, kind, reasons]."""
    return {r[2]: r for r in page.table("preview")[1:]}


def copies(
    central: Central, school: OfficeSchool, *barcodes: str
) -> dict[str, tuple[CentralCopy, CentralCatalogueItem]]:
    with central.db.reads() as session:
        found = session.execute(
            select(CentralCopy, CentralCatalogueItem)
            .join(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
            .where(CentralCopy.school_id == school.id, CentralCopy.barcode.in_(barcodes))
        ).all()
        return {copy.barcode: (copy, item) for copy, item in found}


def catalogue_size(central: Central, school: OfficeSchool) -> tuple[int, int, int]:
    """(items, copies, the school's change counter): what a kiosk's next pull would see."""
    with central.db.reads() as session:
        return (
            session.scalar(select(func.count()).where(CentralCatalogueItem.school_id == school.id)) or 0,
            session.scalar(select(func.count()).where(CentralCopy.school_id == school.id)) or 0,
            session.get(School, school.id).change_seq,
        )


A_SHELF = [
    copy_row(
        "TS900001", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80", acquired="2024-09-01"
    ),
    copy_row(
        "TS900002", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80", acquired="2024-09-01"
    ),
    copy_row("TS900003", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price=25.8),
    copy_row("QC900001", "中国象棋（大号）", kind="棋类", price=35),
    copy_row("QC900002", "花样跳绳", kind="体育器材", price="¥8"),
]


def test_an_excel_register_is_previewed_then_imported_only_when_confirmed_and_twice_adds_nothing(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    content = xlsx("阳光小学图书登记簿", A_SHELF)
    before = catalogue_size(central, office_school)

    page = upload(browser, office_school, "图书登记.xlsx", content)
    assert page.status == 200 and "/catalogue/imports/" in page.url
    lines = preview_rows(page)
    assert {b: r[1] for b, r in lines.items()} == dict.fromkeys(
        ("TS900001", "TS900002", "TS900003", "QC900001", "QC900002"), "新增"
    )
    assert lines["QC900001"][4] == "棋类" and lines["QC900002"][4] == "体育器材"
    assert "出版社" in page.text  # named as a column the office does not use
    assert catalogue_size(central, office_school) == before  # nothing written before confirming

    done = confirm(browser, page)
    assert "新增 5 册（件），其中新品种 3 种" in done.text
    found = copies(central, office_school, "TS900001", "TS900002", "TS900003", "QC900001", "QC900002")
    peppa = {item.id for barcode, (_copy, item) in found.items() if barcode.startswith("TS")}
    assert len(peppa) == 1  # three copies of one title
    copy, item = found["TS900001"]
    assert (item.kind, item.title, item.author, item.isbn, item.price_fen) == (
        ItemKind.BOOK,
        "小猪佩奇",
        "英国快乐瓢虫",
        "9787534654114",
        2580,
    )
    assert copy.status is CopyStatus.IN_SERVICE and copy.acquired_on.isoformat() == "2024-09-01"
    assert found["TS900003"][0].acquired_on is None
    assert (found["QC900001"][1].kind, found["QC900002"][1].price_fen) == (ItemKind.CHESS, 800)
    items, count, _seq = catalogue_size(central, office_school)
    assert (items, count) == (before[0] + 3, before[1] + 5)
    with central.db.reads() as session:
        waiting = select(func.count()).where(RosterImport.school_id == office_school.id)
        assert session.scalar(waiting) == 0  # staging emptied (other tests' schools may hold previews)
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.school_id == office_school.id)
        ).all()
    assert "catalogue_previewed" in actions and "catalogue_imported" in actions

    listing = browser.get(f"{office_school.base}/catalogue", q="小猪佩奇")
    assert [r[0] for r in listing.table("catalogue")[1:]] == ["小猪佩奇"]
    assert "TS900002" in listing.text

    again = upload(browser, office_school, "图书登记.xlsx", content)
    assert {r[1] for r in again.table("preview")[1:]} == {"无变化"}
    assert re.search(r"<button type=\"submit\" disabled>确认导入 0 行", again.text)
    settled = catalogue_size(central, office_school)
    confirm(browser, again)  # even posted by hand, it adds nothing
    assert catalogue_size(central, office_school) == settled


def test_a_gbk_csv_from_excel_on_chinese_windows_is_read(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    content = csv_bytes(
        [
            copy_row("G0001", "草房子", author="曹文轩", isbn=ISBN_10, price="25"),
            copy_row("G0002", "毽子", kind="器材"),
        ],
        "gbk",
    )
    try:
        content.decode("utf-8")
        raise AssertionError("the test file should not be UTF-8")
    except UnicodeDecodeError:
        pass
    page = upload(browser, office_school, "图书-gbk.csv", content)
    assert [(r[2], r[1], r[3], r[4]) for r in page.table("preview")[1:]] == [
        ("G0001", "新增", "草房子", "图书"),
        ("G0002", "新增", "毽子", "体育器材"),
    ]
    before = catalogue_size(central, office_school)
    confirm(browser, page)
    found = copies(central, office_school, "G0001", "G0002")
    assert found["G0001"][1].isbn == "702000220X" and found["G0002"][1].kind is ItemKind.SPORTS
    # The room already has 草房子 and 毽子 (the demo shelf): the new copies join those items.
    assert catalogue_size(central, office_school)[:2] == (before[0], before[1] + 2)


def test_a_utf8_csv_with_a_byte_order_mark_is_read(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    page = upload(
        browser, office_school, "图书.csv", csv_bytes([copy_row("U0001", "窗边的小豆豆")], "utf-8-sig")
    )
    assert preview_rows(page)["U0001"][1:4] == ["新增", "U0001", "窗边的小豆豆"]


def test_every_bad_row_is_shown_with_its_reasons_and_only_good_rows_are_written(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    with central.db.reads() as session:
        demo_barcode = session.scalars(
            select(CentralCopy.barcode)
            .where(CentralCopy.school_id == office_school.id)
            .order_by(CentralCopy.barcode)
        ).first()
    content = xlsx(
        "有问题的登记表",
        [
            copy_row("B0001", "好书一本", price="12.50"),
            copy_row("B0002", ""),
            copy_row("B0003", "怪类别", kind="玩具车"),
            copy_row("B0004", "坏价格", price="十二元"),
            copy_row("B0005", "负价格", price="-3"),
            copy_row("", "没条码"),
            copy_row("B" * 41, "条码太长"),
            copy_row("B 0008", "条码有空格"),
            copy_row("B0009", "重复甲"),
            copy_row("B0009", "重复乙"),
            copy_row(demo_barcode, "别的书占了条码"),
            copy_row("B0011", "坏ISBN十三", isbn="978-7-5346-5411-3"),
            copy_row("B0012", "坏ISBN十", isbn="7-02-000220-1"),
            copy_row("B0013", "书" * 121),
            copy_row("B0014", "作者太长", author="著" * 81),
            copy_row("B0015", "同书不同价", price="10"),
            copy_row("B0016", "同书不同价", price="11"),
        ],
    )
    page = upload(browser, office_school, "bad.xlsx", content)
    rows = page.table("preview")[1:]
    reasons = {(r[2], r[3]): r[5] for r in rows}
    assert preview_rows(page)["B0001"][1] == "新增"
    assert "缺少名称" in reasons[("B0002", "")]
    assert "类别不是图书、报刊、体育器材、棋类、其他之一" in reasons[("B0003", "怪类别")]
    assert "单价不正确" in reasons[("B0004", "坏价格")] and "单价不正确" in reasons[("B0005", "负价格")]
    assert "缺少条码" in reasons[("", "没条码")]
    assert "条码超过 40 个字符" in reasons[("", "条码太长")]
    assert "条码只能有字母、数字" in reasons[("", "条码有空格")]
    assert (
        "文件中条码重复" in reasons[("B0009", "重复甲")] and "文件中条码重复" in reasons[("B0009", "重复乙")]
    )
    assert "这个条码在本校已属于另一种图书或器材" in reasons[(demo_barcode, "别的书占了条码")]
    assert (
        "ISBN 不正确" in reasons[("B0011", "坏ISBN十三")] and "ISBN 不正确" in reasons[("B0012", "坏ISBN十")]
    )
    assert "名称超过 120 个字" in reasons[("B0013", "")]
    assert "作者超过 80 个字" in reasons[("B0014", "作者太长")]
    assert "同一品种的几行信息不一致" in reasons[("B0015", "同书不同价")]
    assert "同一品种的几行信息不一致" in reasons[("B0016", "同书不同价")]
    assert re.search(r'data-count="rejected">16<', page.text) and re.search(r'data-count="new">1<', page.text)

    before = catalogue_size(central, office_school)
    confirm(browser, page)
    written = copies(central, office_school, *(f"B{n:04d}" for n in range(1, 17)), demo_barcode)
    assert sorted(written) == sorted(["B0001", demo_barcode])
    assert written[demo_barcode][1].title != "别的书占了条码"  # the other book keeps its barcode and title
    assert catalogue_size(central, office_school)[:2] == (before[0] + 1, before[1] + 1)


def test_a_file_of_only_bad_rows_writes_nothing(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    page = upload(
        browser,
        office_school,
        "bad.csv",
        csv_bytes([copy_row("X1", ""), copy_row("X2", "书", kind="")], "utf-8"),
    )
    assert [r[1] for r in page.table("preview")[1:]] == ["拒绝", "拒绝"]
    assert "缺少类别" in preview_rows(page)["X2"][5]
    before = catalogue_size(central, office_school)
    confirm(browser, page)
    assert catalogue_size(central, office_school) == before  # not even the change counter moved


def test_a_changed_price_is_an_update_of_the_item_and_the_shelf_state_is_left_alone(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    confirm(
        browser,
        upload(
            browser, office_school, "a.csv", csv_bytes([copy_row("P0001", "森林报", price="28")], "utf-8")
        ),
    )
    with central.edit() as session:  # a kiosk reported the copy damaged
        session.scalars(
            select(CentralCopy).where(
                CentralCopy.barcode == "P0001", CentralCopy.school_id == office_school.id
            )
        ).one().status = CopyStatus.DAMAGED
    again = upload(
        browser,
        office_school,
        "b.csv",
        csv_bytes([copy_row("P0001", "森林报", author="比安基", price="29.90")], "utf-8"),
    )
    assert preview_rows(again)["P0001"][1] == "更新"
    assert "更新 1 册（件）" in confirm(browser, again).text
    copy, item = copies(central, office_school, "P0001")["P0001"]
    assert (item.author, item.price_fen, copy.status) == ("比安基", 2990, CopyStatus.DAMAGED)


def test_the_exported_catalogue_imports_back_unchanged(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    confirm(browser, upload(browser, office_school, "shelf.xlsx", xlsx("登记", A_SHELF)))
    for format in ("xlsx", "csv"):
        exported = browser.download(f"{office_school.base}/catalogue/export", format=format)
        assert exported.status_code == 200
        if format == "csv":
            assert exported.content.startswith('\ufeff"条码","名称","类别"'.encode())  # every field quoted
        page = upload(browser, office_school, f"export.{format}", exported.content)
        statuses = [r[1] for r in page.table("preview")[1:]]
        assert len(statuses) > 100 and set(statuses) == {"无变化"}, page.table("preview")[:5]
        assert "TS900001" in preview_rows(page)


def test_the_empty_template_has_the_headings_the_import_reads(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    template = browser.download(f"{office_school.base}/catalogue/template")
    assert template.status_code == 200
    page = upload(browser, office_school, "template.xlsx", template.content)
    assert page.table("preview")[1:] == []  # read as a register, with no rows yet


def test_a_file_that_cannot_be_a_register_is_refused_with_the_reason(
    office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    assert "旧版 Excel" in upload(browser, office_school, "old.xls", b"\xd0\xcf\x11\xe0 old").text
    page = upload(browser, office_school, "titles.csv", csv_bytes([["西游记"]], "utf-8", headings=["书名"]))
    assert "文件缺少必需的列" in page.text and "条码" in page.text and "类别" in page.text
    assert "没有找到表头" in upload(browser, office_school, "x.csv", b"a,b\r\n1,2\r\n").text


def test_a_roster_preview_cannot_be_confirmed_as_a_catalogue(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    browser.get(f"{office_school.base}/roster")
    roster = browser.post(
        f"{office_school.base}/roster/preview",
        {"class_name": "", "effective": "2026-09-01"},
        files={"file": ("r.xlsx", roster_xlsx("花名册", [roster_row("Z001", "张三", "三年级(1)班")]))},
    )
    import_id = roster.url.rsplit("/", 1)[1]
    assert browser.get(f"{office_school.base}/catalogue/imports/{import_id}").status == 404
    assert browser.post(f"{office_school.base}/catalogue/imports/{import_id}/confirm").status == 404
    with central.db.reads() as session:
        assert session.get(RosterImport, uuid.UUID(import_id)).summary["what"] == "roster" != WHAT


def test_a_preview_overtaken_by_another_import_writes_nothing_at_all(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    slow = upload(
        browser,
        office_school,
        "slow.csv",
        csv_bytes([copy_row("S0001", "甲书"), copy_row("S0002", "乙书")], "utf-8"),
    )
    quick = upload(browser, office_school, "quick.csv", csv_bytes([copy_row("S0002", "丙书")], "utf-8"))
    confirm(browser, quick)
    before = catalogue_size(central, office_school)
    page = confirm(browser, slow)
    assert "预览之后图书与器材已有变动，什么也没有写入" in page.text
    assert catalogue_size(central, office_school) == before
    assert "S0001" not in copies(central, office_school, "S0001")


def test_staff_read_the_catalogue_but_cannot_import_and_the_bureau_cannot_see_it(
    central: Central, office_school: OfficeSchool, client
) -> None:
    staff = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    browser = client(staff)
    base = office_school.base
    listing = browser.get(f"{base}/catalogue")
    assert listing.status == 200 and len(listing.table("catalogue")) > 10
    assert "catalogue/preview" not in listing.text  # no upload form
    assert browser.download(f"{base}/catalogue/export").status_code == 200  # nothing personal in it
    assert browser.download(f"{base}/catalogue/template").status_code == 403
    refused = browser.post(
        f"{base}/catalogue/preview", files={"file": ("a.csv", csv_bytes([copy_row("N1", "书")], "utf-8"))}
    )
    assert refused.status == 403
    assert "N1" not in copies(central, office_school, "N1")

    with central.edit() as session:
        county = schools.create_county(session, "图书区教育局")
        session.get(School, office_school.id).county_id = county.id
        county_id = county.id
    bureau = client(add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id))
    assert bureau.get(f"{base}/reports/assets").status == 200  # the stock in figures, as before
    assert bureau.get(f"{base}/catalogue").status == 403
    assert bureau.download(f"{base}/catalogue/export").status_code == 403


def test_another_schools_administrator_cannot_see_or_confirm_this_schools_catalogue(
    central: Central, office_school: OfficeSchool, client
) -> None:
    mine = client(office_school.admin)
    preview = upload(mine, office_school, "a.csv", csv_bytes([copy_row("O0001", "我们的书")], "utf-8"))
    other = central.new_school("别的小学")
    theirs = client(add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=other.id))
    theirs.get(f"/office/s/{other.id}/catalogue")
    assert theirs.get(f"{office_school.base}/catalogue").status == 404
    assert theirs.download(f"{office_school.base}/catalogue/export").status_code == 404
    path = preview.url.replace(mine.base, "")
    assert theirs.get(path).status == 404
    assert theirs.post(path + "/confirm").status == 404
    # Under their own school's address our import is gone, not theirs to confirm.
    assert theirs.post(path.replace(str(office_school.id), str(other.id)) + "/confirm").status == 404
    assert "O0001" not in copies(central, office_school, "O0001")
