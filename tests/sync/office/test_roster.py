"""Importing a class roster (花名册) through the office pages: every row checked and shown before anything
is written, the reasons for every rejected row, Excel and the encodings Chinese schools save CSV in,
columns the room must never keep, and the export that imports back unchanged."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from db.enums import GuardianType, Relation
from sync.server.models import CentralChild, CentralContact, ClassPlacement, RosterImport
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.officeclient import OfficeClient, Page
from tests.sync.office.rosterfiles import csv_bytes, row, xlsx

CLASS = "三年级(1)班"
ID_NUMBER = "52262320160504123X"


def upload(
    browser: OfficeClient, school: OfficeSchool, filename: str, content: bytes, class_name: str = ""
) -> Page:
    browser.get(f"{school.base}/roster")
    return browser.post(
        f"{school.base}/roster/preview",
        {"class_name": class_name, "effective": "2026-09-01"},
        files={"file": (filename, content)},
    )


def children_named(central: Central, school: OfficeSchool, *names: str) -> dict[str, CentralChild]:
    with central.db.reads() as session:
        found = session.scalars(
            select(CentralChild).where(CentralChild.school_id == school.id, CentralChild.name.in_(names))
        ).all()
        return {c.name: c for c in found}


def preview_rows(page: Page) -> dict[str, list[str]]:
    """Preview lines by student number: [line, status, student no, name, class, reasons]."""
    return {r[2]: r for r in page.table("preview")[1:]}


def test_an_excel_roster_is_previewed_then_imported_only_when_confirmed(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    content = xlsx(
        "三年级(1)班留守儿童花名册",
        [
            row("R2026001", "杨小满", CLASS, father=("杨大山", "13800001111"),
                mother=("李秀兰", "139-0000-2222"), id_number=ID_NUMBER),
            row("R2026002", "马晓东", CLASS, gender="男", guardian="父母单方监护", away="父亲外出",
                father=("马建国", "+86 13800003333"), mother=("王芳", "13800004444")),
            row("R2026003", "冶子涵", CLASS, guardian="亲朋监护", birthday="2015/9/1",
                carer=("马阿姨", "亲戚", "0856-8120041")),
        ],
    )  # fmt: skip
    page = upload(browser, office_school, "花名册.xlsx", content, CLASS)
    assert page.status == 200 and "/roster/imports/" in page.url
    lines = preview_rows(page)
    assert [lines[n][1] for n in ("R2026001", "R2026002", "R2026003")] == ["新增", "新增", "新增"]
    assert "身份证号" in page.text and "家庭住址" in page.text  # named as not stored
    assert children_named(central, office_school, "杨小满") == {}  # nothing written before confirming
    with central.db.reads() as session:
        staged = session.scalars(select(RosterImport).where(RosterImport.school_id == office_school.id)).one()
        assert ID_NUMBER not in str(staged.rows) and "某某村" not in str(staged.rows)

    done = browser.post(page.url.replace(browser.base, "") + "/confirm")
    assert "新增 3 人" in done.text
    found = children_named(central, office_school, "杨小满", "马晓东", "冶子涵")
    assert set(found) == {"杨小满", "马晓东", "冶子涵"}
    with central.db.reads() as session:
        waiting = select(func.count()).where(RosterImport.school_id == office_school.id)
        assert session.scalar(waiting) == 0  # staging emptied (other tests' schools may hold previews)
        ma = found["马晓东"]
        assert (ma.guardian_type, ma.father_away, ma.mother_away) == (GuardianType.ONE_PARENT, True, False)
        contacts = {
            c.relation: c
            for c in session.scalars(select(CentralContact).where(CentralContact.child_id == ma.id))
        }
        assert contacts[Relation.FATHER].phone == "13800003333" and contacts[Relation.MOTHER].name == "王芳"
        carer = session.scalars(
            select(CentralContact).where(CentralContact.child_id == found["冶子涵"].id)
        ).one()
        assert (carer.relation, carer.phone) == (Relation.OTHER_RELATIVE, "0856-8120041")
        placement = session.scalars(select(ClassPlacement).where(ClassPlacement.child_id == ma.id)).one()
        assert (placement.class_name, placement.valid_from.isoformat()) == (CLASS, "2026-09-01")
        for child in found.values():
            assert str(child.birthday).startswith("201")


def test_a_gbk_csv_from_excel_on_chinese_windows_is_read(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    rows = [
        row("G001", "韩梅梅", CLASS, mother=("周丽", "13800005555")),
        row("G002", "李磊", "四年级(2)班", gender="男", guardian="单亲或孤儿", away="母亲外出",
            mother=("李娜", "13800006666")),
    ]  # fmt: skip
    content = csv_bytes(rows, "gbk")
    assert content.decode("gbk")  # really GBK, and not valid UTF-8:
    try:
        content.decode("utf-8")
        raise AssertionError("the test file should not be UTF-8")
    except UnicodeDecodeError:
        pass
    page = upload(browser, office_school, "roster-gbk.csv", content)
    assert [r[1] for r in page.table("preview")[1:]] == ["新增", "新增"]
    browser.post(page.url.replace(browser.base, "") + "/confirm")
    found = children_named(central, office_school, "韩梅梅", "李磊")
    assert (
        found["李磊"].class_name == "四年级(2)班"
        and found["李磊"].guardian_type is GuardianType.SINGLE_PARENT_OR_ORPHAN
    )


def test_a_utf8_csv_with_a_byte_order_mark_is_read(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    page = upload(
        browser, office_school, "roster.csv", csv_bytes([row("U001", "欧阳娜娜", CLASS)], "utf-8-sig")
    )
    assert preview_rows(page)["U001"][3] == "欧阳娜娜"


def test_every_bad_row_is_shown_with_its_reasons_and_only_good_rows_are_written(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    long_name = "阿" * 41
    content = xlsx(
        "有问题的花名册",
        [
            row("B001", "好孩子", CLASS, mother=("母亲", "13800007777")),
            row("B002", "重号甲", CLASS),
            row("B002", "重号乙", CLASS),
            row("B003", "", CLASS),
            row("B004", "没班级", "九年级(9)班"),
            row("B005", "坏电话", CLASS, father=("父亲", "12345")),
            row("B006", long_name, CLASS),
            row("B007", "怪性别", CLASS, gender="3"),
            row("B008", "没监护", CLASS, guardian=""),
        ],
    )
    page = upload(browser, office_school, "bad.xlsx", content)
    lines = {(r[2], r[3]): r for r in page.table("preview")[1:]}
    assert lines[("B001", "好孩子")][1] == "新增"
    first = lines[("B002", "重号甲")]
    assert first[1] == "新增" and f"与第 {first[0]} 行学号重复" in lines[("B002", "重号乙")][5]
    assert "缺少姓名" in lines[("B003", "")][5]
    assert lines[("B004", "没班级")][1] == "新增" and "新班级" in lines[("B004", "没班级")][4]
    assert "电话号码不正确" in lines[("B005", "坏电话")][5]
    assert "姓名超过 40 个字" in next(r for k, r in lines.items() if k[0] == "B006")[5]
    assert "性别只能是男或女" in lines[("B007", "怪性别")][5]
    assert lines[("B008", "没监护")][1] == "新增"  # the guardian type is unknown, not a reason
    assert re.search(r'data-count="rejected">5<', page.text)
    browser.post(page.url.replace(browser.base, "") + "/confirm")  # the new class left unticked
    written = children_named(
        central, office_school, "好孩子", "重号甲", "重号乙", "坏电话", "没班级", "没监护"
    )
    assert set(written) == {"好孩子", "重号甲", "没监护"}
    assert written["没监护"].guardian_type is None


def test_a_file_that_cannot_be_a_roster_is_refused_with_the_reason(
    office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    page = upload(browser, office_school, "old.xls", b"\xd0\xcf\x11\xe0 old excel")
    assert "旧版 Excel" in page.text
    page = upload(browser, office_school, "names.csv", csv_bytes([["张三"]], "utf-8", headings=["姓名"]))
    assert "缺少必需的列" in page.text and "学号" in page.text


def test_the_exported_roster_imports_back_unchanged(
    central: Central, office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    with central.db.reads() as session:
        klass = session.scalars(
            select(CentralChild.class_name).where(CentralChild.school_id == office_school.id)
        ).first()
    exported = browser.download(f"{office_school.base}/roster/export", klass=klass, format="xlsx")
    assert exported.status_code == 200
    page = upload(browser, office_school, "export.xlsx", exported.content, klass)
    statuses = {r[1] for r in page.table("preview")[1:]}
    assert statuses == {"无变化"}, page.table("preview")[:5]


def test_a_changed_phone_number_is_an_update(central: Central, office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    first = upload(
        browser,
        office_school,
        "a.csv",
        csv_bytes([row("C001", "陈果", CLASS, mother=("周敏", "13800008888"))], "utf-8"),
    )
    browser.post(first.url.replace(browser.base, "") + "/confirm")
    again = upload(
        browser,
        office_school,
        "b.csv",
        csv_bytes([row("C001", "陈果", CLASS, mother=("周敏", "13900009999"))], "utf-8"),
    )
    assert preview_rows(again)["C001"][1] == "更新"
    browser.post(again.url.replace(browser.base, "") + "/confirm")
    child = children_named(central, office_school, "陈果")["陈果"]
    with central.db.reads() as session:
        phones = session.scalars(
            select(CentralContact.phone).where(CentralContact.child_id == child.id)
        ).all()
    assert phones == ["13900009999"]
