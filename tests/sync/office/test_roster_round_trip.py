"""The school's own files back in: its roster export imports with no change (national student numbers,
which the office keeps only as a keyed hash and the last four characters, included), the blank
template offers drop-down lists for every closed column and a 填写说明 sheet and imports once a clerk
has filled it, and `admin import-demo` makes the demo school's classes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from sync.server.models import OfficeRole
from tests.support.processes import REPO
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.roster_pages import confirm, kept_children, statuses, upload
from tests.sync.office.school_rosters import pupils, township_form, two_row_headings, with_changes


@pytest.fixture
def new_school(central: Central) -> OfficeSchool:
    ref = central.new_school("回龙九年制学校", demo=False)
    return OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_schools_export_imports_back_with_no_change(
    central: Central, new_school: OfficeSchool, client, file_format: str
) -> None:
    browser = client(new_school.admin)
    children = pupils(12, seed=31)
    # Names a spreadsheet would take for a formula: the export guards them (a text cell, or the CSV's
    # apostrophe) and the import reads them back as typed.
    at, odd = next((i, p) for i, p in enumerate(children) if p.relation not in ("父亲", "母亲"))
    children[at] = with_changes(
        odd,
        father=("-" + odd.father[0], odd.father[1]),
        guardian=("@" + odd.guardian[0], *odd.guardian[1:]),
    )
    confirm(browser, upload(browser, new_school, "花名册.xlsx", two_row_headings(children)))
    exported = browser.download(f"{new_school.base}/roster/export", klass="", format=file_format)
    assert exported.status_code == 200
    if file_format == "csv":
        assert f'"\'-{odd.father[0]}"'.encode() in exported.content
    else:
        cells = [c for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows() for c in row]
        assert {c.value for c in cells if c.quotePrefix} == {"-" + odd.father[0], "@" + odd.guardian[0]}
    for child in children:  # what the office shows of a national number: never the ID number
        assert child.id_number[:14].encode() not in exported.content
    page = upload(browser, new_school, f"导出.{file_format}", exported.content)
    assert statuses(page) == ["无变化"] * len(children), page.table("preview")[:4]


def test_a_class_export_imports_back_into_that_class(
    central: Central, new_school: OfficeSchool, client
) -> None:
    browser = client(new_school.admin)
    children = pupils(10, seed=32)
    confirm(browser, upload(browser, new_school, "花名册.xlsx", township_form(children)))
    klass = children[0].class_name
    exported = browser.download(f"{new_school.base}/roster/export", klass=klass, format="xlsx")
    page = upload(browser, new_school, "导出.xlsx", exported.content, klass)
    in_class = [p for p in children if p.class_name == klass]
    assert statuses(page) == ["无变化"] * len(in_class)


def _validations(sheet) -> dict[str, list[str]]:
    """Each validated column's heading and the values its drop-down list offers."""
    book = sheet.parent
    headings = {cell.column_letter: cell.value for cell in _heading_row(sheet)}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        formula = validation.formula1
        if formula.startswith('"'):
            values = formula.strip('"').split(",")
        else:
            where, _, cells = formula.lstrip("=").partition("!")
            lists = book[where.strip("'")]
            min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
            values = [
                row[0]
                for row in lists.iter_rows(min_row, max_row, min_col, max_col, values_only=True)
                if row[0] is not None
            ]
        for cells in str(validation.sqref).split():
            letter = "".join(ch for ch in cells.split(":")[0] if ch.isalpha())
            found[headings[letter]] = values
    return found


def _heading_row(sheet):
    for row in sheet.iter_rows(max_row=6):
        if any(cell.value == "姓名" for cell in row):
            return [cell for cell in row if cell.value]
    raise AssertionError("no heading row")


def test_the_blank_template_offers_lists_and_says_how_to_fill_it(
    central: Central, new_school: OfficeSchool, client
) -> None:
    browser = client(new_school.admin)
    confirm(browser, upload(browser, new_school, "花名册.xlsx", township_form(pupils(5, seed=1))))
    response = browser.download(f"{new_school.base}/roster/template")
    book = load_workbook(io.BytesIO(response.content))
    assert "填写说明" in book.sheetnames
    roster = book.worksheets[0]
    lists = _validations(roster)
    assert set(lists["性别"]) == {"男", "女"}
    assert set(lists["监护类型"]) >= {"祖辈监护", "父母单方监护", "亲朋监护", "单亲或孤儿"}
    assert set(lists["父亲外出务工"]) >= {"是", "否"} and set(lists["母亲外出务工"]) >= {"是", "否"}
    assert set(lists["在家一方无监护能力"]) >= {"是", "否"}
    assert set(lists["监护情况评估"]) == {"较好", "一般", "差"}
    assert {"外婆", "爷爷", "舅舅", "姑姑", "其他亲属"} <= set(lists["与儿童关系"])
    assert set(lists["班级"]) == {c.class_name for c in pupils(5, seed=1)}
    notes = "\n".join(str(v) for r in book["填写说明"].iter_rows(values_only=True) for v in r if v)
    assert "身份证" in notes and "2015-03-03" in notes and "学籍号" in notes

    # A clerk fills it in Excel, choosing from the lists, and uploads it.
    headings = [cell.value for cell in _heading_row(roster)]
    first = _heading_row(roster)[0].row + 1
    typed = {
        "学号": "G341321201603035718", "姓名": "欧阳䶮", "性别": "男", "出生日期": "2016-03-03",
        "班级": pupils(5, seed=1)[0].class_name, "监护类型": "祖辈监护",
        "父亲外出务工": "是", "母亲外出务工": "是",
        "父亲姓名": "刘建国", "父亲电话": "13800001111", "与儿童关系": "外婆", "临时监护人": "赵桂花",
        "临时监护人电话": "13800002222",
    }  # fmt: skip
    for column, heading in enumerate(headings, start=1):
        if heading in typed:
            roster.cell(row=first, column=column, value=typed[heading])
    filled = io.BytesIO()
    book.save(filled)
    page = upload(browser, new_school, "花名册模板.xlsx", filled.getvalue())
    assert statuses(page) == ["新增"], page.table("preview")
    confirm(browser, page)
    liu = kept_children(central, new_school.id)["欧阳䶮"]
    assert liu.child.student_no.endswith("5718") and "201603035718" not in liu.child.student_no
    assert [c.relation_word for c in liu.contacts if c.relation_word] == ["外婆"]


@pytest.mark.slow  # a server command in a process of its own, and 96 children through the preview
def test_import_demo_makes_the_classes_and_its_export_imports_back(central: Central, server, client) -> None:
    ref = central.new_school("演示小学", demo=False)
    command = [
        sys.executable, "-m", "sync.server", "--database", server.database_url,
        "admin", "import-demo", "--school", str(ref.id), "--seed", "4242",
    ]  # fmt: skip
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    school = OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    browser = client(school.admin)
    classes = browser.get(f"{school.base}/classes")
    listed = [row[0] for row in next(iter(classes.tables.values()))[1:]]
    assert len(listed) == 12 and "一年级(1)班" in listed
    exported = browser.download(f"{school.base}/roster/export", klass="", format="xlsx")
    page = upload(browser, school, "全校花名册.xlsx", exported.content)
    assert statuses(page) == ["无变化"] * 96, [r for r in page.table("preview")[1:] if r[1] != "无变化"][:3]
