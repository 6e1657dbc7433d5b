"""Reports as CSV that Excel in China opens as it should: UTF-8 with a byte-order mark (without it
Excel reads the file as GBK and shows mojibake), comma-separated, CRLF line ends, one section per table
with its title above its header, values written as the page shows them.
"""

from __future__ import annotations

import csv
import io

from sync.server.reports.table import Report, as_text

BOM = "\ufeff"


def report_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.title])
    writer.writerow([report.school_name, report.period_label])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        if table.has_groups():
            writer.writerow([c.group or "" for c in table.columns])
        writer.writerow([c.label for c in table.columns])
        for row in table.rows:
            writer.writerow([as_text(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
        if table.total is not None:
            writer.writerow([as_text(v, c.kind) for v, c in zip(table.total, table.columns, strict=True)])
        if table.note:
            writer.writerow([table.note])
    for note in report.notes:
        writer.writerow([note])
    return (BOM + buffer.getvalue()).encode("utf-8")
