"""Reading a spreadsheet as the school saved it (a roster, the book register): XLSX from Excel or
WPS, or CSV in UTF-8 (with or without a byte-order mark) or GBK, the encoding Excel on a Chinese
Windows writes.

The heading row is found, not assumed: school spreadsheets often start with a title row
("三年级(2)班留守儿童花名册") and a blank line; it is the first row with the column set's anchor heading
(姓名 for a roster, 名称 for the catalogue). Values of ignored columns (ID numbers …) are dropped here,
before anything is kept, so they never reach the staging table.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sync.server.office.sheets.sheet_columns import ColumnSet
from sync.server.reports.formula_guard import unguarded

MAX_ROWS = 3000
_HEADING_SEARCH_ROWS = 15


class SheetFileError(ValueError):
    """The file cannot be read at all; `code` says why (old_excel, unreadable, no_heading …)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Sheet:
    """Rows by field name, each with the line it came from in the file (1-based, as Excel shows)."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)  # never stored: ID numbers, addresses …
    unknown: list[str] = field(default_factory=list)  # headings the office does not know


def read_sheet(filename: str, content: bytes, columns: ColumnSet) -> Sheet:
    lower = filename.lower()
    if lower.endswith(".xls"):
        raise SheetFileError("old_excel")
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        return _from_grid(_xlsx_grid(content), columns)
    if lower.endswith((".csv", ".txt")):
        return _from_grid(_csv_grid(content), columns)
    raise SheetFileError("unknown_format")


def _xlsx_grid(content: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetFileError("unreadable") from exc
    try:
        sheet = book.worksheets[0]
        grid = []
        for row in sheet.iter_rows(values_only=True):
            grid.append(list(row))
            if len(grid) > MAX_ROWS + _HEADING_SEARCH_ROWS:
                raise SheetFileError("too_many_rows")
        return grid
    finally:
        book.close()


def _csv_grid(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetFileError("unreadable")
    if "\x00" in text:
        raise SheetFileError("unreadable")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    # A field the office's own export guarded against formulas ('=…) is read back as typed.
    grid = [[unguarded(field) for field in row] for row in csv.reader(io.StringIO(text), dialect)]
    if len(grid) > MAX_ROWS + _HEADING_SEARCH_ROWS:
        raise SheetFileError("too_many_rows")
    return grid


def _from_grid(grid: list[list[Any]], columns: ColumnSet) -> Sheet:
    header_index = next(
        (
            i
            for i, row in enumerate(grid[:_HEADING_SEARCH_ROWS])
            if any(columns.is_anchor(cell) for cell in row)
        ),
        None,
    )
    if header_index is None:
        raise SheetFileError("no_heading")
    sheet = Sheet()
    wanted: dict[int, str] = {}
    for position, heading in enumerate(grid[header_index]):
        if heading is None or str(heading).strip() == "":
            continue
        column = columns.column_for(heading)
        if column is not None and column.field not in sheet.fields:
            wanted[position] = column.field
            sheet.fields.add(column.field)
        elif columns.is_never_stored(heading):
            sheet.ignored.append(str(heading).strip())
        else:
            sheet.unknown.append(str(heading).strip())
    for offset, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        values = {name: row[position] for position, name in wanted.items() if position < len(row)}
        if any(v is not None and str(v).strip() != "" for v in values.values()):
            sheet.rows.append((offset, values))
    if len(sheet.rows) > MAX_ROWS:
        raise SheetFileError("too_many_rows")
    return sheet
