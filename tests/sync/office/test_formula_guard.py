"""Text a spreadsheet would run as a formula leaves the office as text and comes back as typed: the
catalogue's own export of titles beginning with =, +, - and @, read back by the import's reader from
the XLSX (string cells) and from the CSV (the OWASP apostrophe taken off again)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from sync.server.office.catalogue.catalogue_columns import CATALOGUE
from sync.server.office.catalogue.catalogue_export import catalogue_csv, catalogue_xlsx
from sync.server.office.sheets.sheet_files import read_sheet
from sync.server.reports.formula_guard import csv_text, unguarded

TITLES = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "普通书名"]


def rows() -> list[list[str]]:
    return [[f"FG{i:06d}", title, "图书", "", "", "", ""] for i, title in enumerate(TITLES)]


def test_the_csv_convention_and_its_reverse() -> None:
    assert csv_text("=1+1") == "'=1+1" and csv_text("普通") == "普通" and csv_text("'=1") == "'=1"
    for text in TITLES + ["'quoted", "it's"]:
        assert unguarded(csv_text(text)) == text


def test_an_exported_catalogue_reads_back_exactly_as_typed() -> None:
    xlsx = catalogue_xlsx("图书与器材", rows())
    book = load_workbook(io.BytesIO(xlsx))
    cells = [row[1] for row in book.active.iter_rows(min_row=3)]
    assert [c.value for c in cells] == TITLES
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:-1]) and not cells[-1].quotePrefix

    text = catalogue_csv(rows()).decode("utf-8-sig")
    fields = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert fields[:5] == ["'" + t for t in TITLES[:5]] and fields[5] == "普通书名"
    assert text.splitlines()[1].startswith('"FG000000","\'=HYPERLINK(""http')  # every field quoted

    for name, content in (("a.xlsx", xlsx), ("a.csv", catalogue_csv(rows()))):
        sheet = read_sheet(name, content, CATALOGUE)
        assert [values["title"] for _line, values in sheet.rows] == TITLES, name
