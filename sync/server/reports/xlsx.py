"""Reports as XLSX laid out like the paper tables: one sheet per table, a title with the school and the
period, the header rows, the rows, a bold total row, the notes, and an A4 print set-up (landscape when
the table is wide, fitted to the page width, header rows repeated on every page, page numbers).

Cells keep their types: counts are numbers, dates are dates, amounts are yuan with two decimals and
shares are percentages with one, so a school can add them up again in Excel and get the same totals.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.server.reports.table import Kind, Report, Table

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E6ECF2")
_FLAG_FILL = PatternFill("solid", fgColor="FDECEA")
_FORMATS = {
    Kind.INT: "0",
    Kind.PCT: "0.0",
    Kind.DAYS: "0.0",
    Kind.MONEY: "0.00",
    Kind.DATE: "yyyy-mm-dd",
    Kind.TIME: "hh:mm",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
_FONT = "宋体"  # what schools' own templates use; Excel substitutes a CJK font where it is missing


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in report.tables:
        _write_sheet(book.create_sheet(_sheet_name(table.title, used)), report, table)
    if not report.tables:
        book.create_sheet("—")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Worksheet, report: Report, table: Table) -> None:
    width = len(table.columns)
    sheet.append([report.title + " · " + table.title])
    sheet.append([f"{report.school_name}    {report.period_label}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))
    sheet["A1"].font = Font(name=_FONT, bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"].font = Font(name=_FONT, size=11)
    sheet["A2"].alignment = Alignment(horizontal="center")
    header_first = 3
    if table.has_groups():
        sheet.append([c.group or c.label for c in table.columns])
        _merge_groups(sheet, table, header_first)
        sheet.append([c.label if c.group else None for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            if not column.group:
                sheet.merge_cells(
                    start_row=header_first, start_column=index, end_row=header_first + 1, end_column=index
                )
        header_last = header_first + 1
    else:
        sheet.append([c.label for c in table.columns])
        header_last = header_first
    for row in range(header_first, header_last + 1):
        for index in range(1, width + 1):
            cell = sheet.cell(row=row, column=index)
            cell.font = Font(name=_FONT, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = list(zip(table.rows, table.flagged or [False] * len(table.rows), strict=False))
    for values, flagged in body:
        _append_row(sheet, table, values, bold=False, fill=_FLAG_FILL if flagged else None)
    if table.total is not None:
        _append_row(sheet, table, table.total, bold=True, fill=_HEADER_FILL)
    last_row = sheet.max_row
    for note in [table.note, *report.notes]:
        if note:
            sheet.append([note])
            sheet.cell(row=sheet.max_row, column=1).font = Font(name=_FONT, size=9, italic=True)
    _size_columns(sheet, table)
    _print_setup(sheet, width, header_first, header_last, last_row)


def _merge_groups(sheet: Worksheet, table: Table, row: int) -> None:
    index = 1
    for column, span in table.group_spans():
        if column.group and span > 1:
            sheet.merge_cells(start_row=row, start_column=index, end_row=row, end_column=index + span - 1)
        index += span


def _append_row(
    sheet: Worksheet, table: Table, values: list[Any], *, bold: bool, fill: PatternFill | None
) -> None:
    sheet.append([_cell_value(v, c.kind) for v, c in zip(values, table.columns, strict=True)])
    row = sheet.max_row
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.border = _BORDER
        cell.font = Font(name=_FONT, bold=bold)
        if fill is not None:
            cell.fill = fill
        if column.kind in _FORMATS and not isinstance(cell.value, str):
            cell.number_format = _FORMATS[column.kind]


def _cell_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind is Kind.MONEY and isinstance(value, int | float):
        return round(value / 100, 2)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # already local to the school; Excel has no time zones
    return value


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _size_columns(sheet: Worksheet, table: Table) -> None:
    for index, column in enumerate(table.columns, start=1):
        widest = max(
            [_display_width(column.label), _display_width(column.group or "") // 2]
            + [_display_width(_as_shown(row[index - 1])) for row in table.rows[:500]]
            + ([_display_width(_as_shown(table.total[index - 1]))] if table.total else [])
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 6), 40)


def _as_shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _print_setup(sheet: Worksheet, width: int, header_first: int, header_last: int, last_row: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > 7 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_first}:{header_last}"
    sheet.print_area = f"A1:{get_column_letter(max(width, 1))}{last_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"
    sheet.freeze_panes = sheet.cell(row=header_last + 1, column=1)


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name
