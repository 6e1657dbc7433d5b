"""Reports as CSV that Excel in China opens as it should: UTF-8 with a byte-order mark (without it
Excel reads the file as GBK and shows mojibake), comma-separated, CRLF line ends, one section per table
with its title above its header, values written as the page shows them.

Every field is quoted, and text that a spreadsheet would take for a formula (a name beginning with
`=`, `+`, `-` or `@`) gets the apostrophe of the OWASP convention (formula_guard); counts, shares and
amounts are numbers and stay as they are.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sync.server.reports.formula_guard import csv_text
from sync.server.reports.table import Kind, Report, Table, as_text

BOM = "\ufeff"


def report_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)

    def text_row(values: list[str]) -> None:
        writer.writerow([csv_text(v) for v in values])

    text_row([report.title])
    text_row([report.school_name, report.period_label])
    for table in report.tables:
        writer.writerow([])
        text_row([table.title])
        if table.has_groups():
            text_row([c.group or "" for c in table.columns])
        text_row([c.label for c in table.columns])
        for row in table.rows:
            writer.writerow(_fields(table, row))
        if table.total is not None:
            writer.writerow(_fields(table, table.total))
        if table.note:
            text_row([table.note])
    for note in report.notes:
        text_row([note])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _fields(table: Table, values: list[Any]) -> list[str]:
    return [
        csv_text(as_text(v, c.kind)) if c.kind is Kind.TEXT else as_text(v, c.kind)
        for v, c in zip(values, table.columns, strict=True)
    ]
