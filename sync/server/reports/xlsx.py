"""Reports as XLSX laid out like the paper forms: one sheet per table, one title, the school and the
period, the header rows, the rows, a bold total row, the notes, and the lines the form is signed on
(填表人, 审核人, 填报日期, 单位（盖章）); an A4 print set-up whose print area holds all of it (landscape
when the table is wide, fitted to the page width, header rows repeated on every page, page numbers).
Sheet names are short forms of the table titles (Excel allows 31 characters).

Cells keep their types: counts are numbers, dates are dates, amounts are yuan with two decimals and
shares are percentages with one, so a school can add them up again in Excel and get the same totals.
Text is always text: a name that begins with `=` is a string cell, never a formula (formula_guard).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.server.i18n import translate
from sync.server.reports.formula_guard import guard_row
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


def report_xlsx(report: Report, locale: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in report.tables:
        _write_sheet(book.create_sheet(sheet_name(table.title, used)), report, table, locale)
    if not report.tables:
        book.create_sheet("—")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form_title(report: Report, table: Table) -> str:
    """One title: the report's, and the table's after it only where it says something more."""
    if table.title in report.title:
        return report.title
    if report.title in table.title:
        return table.title
    return f"{report.title} · {table.title}"


def _write_sheet(sheet: Worksheet, report: Report, table: Table, locale: str) -> None:
    width = max(len(table.columns), 1)
    _append(sheet, [form_title(report, table)])
    _append(sheet, [f"{report.school_name}    {report.period_label}"])
    _merge_across(sheet, 1, width)
    _merge_across(sheet, 2, width)
    sheet["A1"].font = Font(name=_FONT, bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"].font = Font(name=_FONT, size=11)
    sheet["A2"].alignment = Alignment(horizontal="center")
    header_first = 3
    if table.has_groups():
        _append(sheet, [c.group or c.label for c in table.columns])
        _merge_groups(sheet, table, header_first)
        _append(sheet, [c.label if c.group else None for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            if not column.group:
                sheet.merge_cells(
                    start_row=header_first, start_column=index, end_row=header_first + 1, end_column=index
                )
        header_last = header_first + 1
    else:
        _append(sheet, [c.label for c in table.columns])
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
    _size_columns(sheet, table)
    page_width = sum(sheet.column_dimensions[get_column_letter(i)].width or 8 for i in range(1, width + 1))
    for note in [table.note, *report.notes]:
        if note:
            _paragraph(sheet, note, width, page_width, Font(name=_FONT, size=9, italic=True))
    _sign_off(sheet, width, page_width, locale)
    _print_setup(sheet, width, header_first, header_last, sheet.max_row)


def _append(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append(values)
    guard_row(sheet[sheet.max_row])


def _merge_across(sheet: Worksheet, row: int, width: int) -> None:
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _paragraph(sheet: Worksheet, text: str, width: int, page_width: float, font: Font) -> None:
    """A line of text across the table's width, wrapped, tall enough for its lines: a long note in
    one cell would run past the print area and be cut off on paper."""
    _append(sheet, [text])
    row = sheet.max_row
    _merge_across(sheet, row, width)
    cell = sheet.cell(row=row, column=1)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    size = font.size or 11
    per_line = max(page_width - 1, 8) * 11 / size  # column widths are counted in 11-point characters
    lines = sum(max(1, math.ceil(_display_width(part) / per_line)) for part in text.split("\n"))
    sheet.row_dimensions[row].height = round(size * 1.45 * lines + 3, 1)


def _sign_off(sheet: Worksheet, width: int, page_width: float, locale: str) -> None:
    """填表人, 审核人, 填报日期 and 单位（盖章）: the lines a paper form is signed and stamped on, two to a
    row where the table is wide enough, one to a row where it is not."""
    words = [
        translate(locale, key)
        for key in ("form.filled_by", "form.checked_by", "form.date_filed", "form.unit_seal")
    ]
    gap = "　　　　"
    pairs = [words[0] + gap + words[1], words[2] + gap + words[3]]
    lines = pairs if max(map(_display_width, pairs)) <= page_width else words
    sheet.append([])
    for line in lines:
        _paragraph(sheet, line, width, page_width, Font(name=_FONT, size=11))
        sheet.row_dimensions[sheet.max_row].height = 28  # room to sign
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(vertical="bottom")


def _merge_groups(sheet: Worksheet, table: Table, row: int) -> None:
    index = 1
    for column, span in table.group_spans():
        if column.group and span > 1:
            sheet.merge_cells(start_row=row, start_column=index, end_row=row, end_column=index + span - 1)
        index += span


def _append_row(
    sheet: Worksheet, table: Table, values: list[Any], *, bold: bool, fill: PatternFill | None
) -> None:
    _append(sheet, [_cell_value(v, c.kind) for v, c in zip(values, table.columns, strict=True)])
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
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.75
    sheet.page_margins.header, sheet.page_margins.footer = 0.3, 0.3  # the page numbers fit under the table
    sheet.oddFooter.center.text = "&P / &N"
    sheet.freeze_panes = sheet.cell(row=header_last + 1, column=1)


_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_ASIDES = re.compile(r"\s*[（(][^（()）]*[)）]")
SHEET_NAME_MAX = 31  # Excel's limit


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name that reads well in 31 characters: the title without its asides in brackets (the
    dates and the cut-off day are on the sheet), cut at a word's end, never in the middle of one."""
    base = (
        _NOT_IN_SHEET_NAMES.sub(" ", _ASIDES.sub("", title)).strip()
        or _NOT_IN_SHEET_NAMES.sub(" ", title).strip()
    )
    base = _shortened(re.sub(r"\s+", " ", base), SHEET_NAME_MAX) or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" {n}"
        name = _shortened(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    used.add(name)
    return name


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isascii() and text[limit].isalnum() and " " in cut:  # inside an English word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" 、，,;；:-·")
