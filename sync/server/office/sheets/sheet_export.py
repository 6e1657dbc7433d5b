"""Writing a list back out in the layout its import reads: a title row, the office's headings, one row
per record — as XLSX laid out for A4 landscape (the heading row repeated on every printed page) and as
CSV with a byte-order mark, which Excel on a Chinese Windows opens in Chinese rather than as GBK
mojibake. A school can export, correct in Excel and import the file back. Text that a spreadsheet
would take for a formula stays text (formula_guard): a string cell as typed in XLSX, the OWASP
apostrophe in CSV, which the import takes off again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sync.server.reports.formula_guard import csv_text, guard_row


def sheet_xlsx(
    sheet_title: str,
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int],
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headings))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        guard_row(cells)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_csv(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([csv_text(h) for h in headings])
    writer.writerows([csv_text(v) if isinstance(v, str) else v for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
