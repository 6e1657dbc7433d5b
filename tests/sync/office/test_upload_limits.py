"""Uploads that cannot stall or break the server (issue 22): every bad file is a form error in Chinese,
never a 500 — entity declarations in any part of an XLSX, a CSV field over 128 KB, a sheet that claims
sixteen thousand columns, a row of sixty thousand cells, a file of more rows than a school has."""

from __future__ import annotations

import pytest

from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.roster_pages import upload
from tests.sync.office.uploads import (
    claiming_huge_dimension,
    county_roster,
    csv_with_a_long_field,
    one_wide_row,
    with_entities,
)


def refused_with(page, words: str) -> None:
    assert page.status == 200, page.status
    assert "/roster/imports/" not in page.url
    assert words in page.text, page.text[-1500:]


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_an_xlsx_with_entity_declarations_is_refused(office_school: OfficeSchool, client, part: str) -> None:
    browser = client(office_school.admin)
    refused_with(upload(browser, office_school, "花名册.xlsx", with_entities(part)), "实体声明")


def test_a_csv_field_over_128_kb_is_a_form_error(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    refused_with(upload(browser, office_school, "花名册.csv", csv_with_a_long_field()), "单元格太长")


def test_a_sheet_claiming_sixteen_thousand_columns_is_read_as_the_cells_it_has(
    office_school: OfficeSchool, client
) -> None:
    browser = client(office_school.admin)
    page = upload(browser, office_school, "花名册.xlsx", claiming_huge_dimension())
    assert "/roster/imports/" in page.url and [r[3] for r in page.table("preview")[1:]] == ["李明"]


def test_a_row_of_sixty_thousand_cells_is_refused(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    refused_with(upload(browser, office_school, "花名册.xlsx", one_wide_row()), "列太多")


def test_more_rows_than_a_school_has_are_refused_while_reading(office_school: OfficeSchool, client) -> None:
    browser = client(office_school.admin)
    refused_with(upload(browser, office_school, "全县.xlsx", county_roster(4000)), "行数太多")


@pytest.mark.parametrize("page", ["roster", "catalogue"])
def test_a_file_over_12_mb_goes_back_to_its_page_with_a_form_error(
    office_school: OfficeSchool, client, page: str
) -> None:
    """A roster with large photos: not a JSON 413 a clerk cannot read, the page with 文件太大."""
    browser = client(office_school.admin)
    browser.get(f"{office_school.base}/{page}")
    answer = browser.post(
        f"{office_school.base}/{page}/preview",
        {"class_name": "", "effective": "2026-09-01"},
        files={"file": ("有照片的登记表.xlsx", b"PK\x03\x04" + bytes(13 * 1024 * 1024))},
    )
    assert answer.status == 200 and answer.url.endswith(f"/{page}?problem=file_too_large"), answer.url
    assert "文件太大（最大 12 MB）" in answer.text
