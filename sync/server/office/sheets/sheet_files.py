"""Reading a one-table spreadsheet as the school saved it (the book register): XLSX from Excel or WPS,
or CSV in UTF-8 (with or without a byte-order mark) or GBK, the encoding Excel on a Chinese Windows
writes — within the limits of sheet_grids, and with the table found under any titles (sheet_headings).

The table is the first sheet's that has the column set's anchor heading (名称 for the catalogue).
Values of columns never stored are dropped here, before anything is kept, so they never reach the
staging table. (The roster, which may come as one sheet per class, reads its own way: roster_reading.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.server.office.sheets.sheet_columns import ColumnSet
from sync.server.office.sheets.sheet_grids import MAX_ROWS, SheetFileError, read_grids
from sync.server.office.sheets.sheet_headings import find_table

__all__ = ["MAX_ROWS", "Sheet", "SheetFileError", "read_sheet"]


@dataclass
class Sheet:
    """Rows by field name, each with the line it came from in the file (1-based, as Excel shows)."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)  # never stored: ID numbers, addresses …
    unknown: list[str] = field(default_factory=list)  # headings the office does not use


def read_sheet(filename: str, content: bytes, columns: ColumnSet) -> Sheet:
    for grid in read_grids(filename, content):
        table = find_table(grid, columns.is_anchor, lambda h: columns.column_for(h) is not None)
        if table is None:
            continue
        sheet = Sheet()
        wanted: dict[int, str] = {}
        for position, heading in sorted(table.headings.items()):
            column = columns.column_for(heading)
            if column is not None and column.field not in sheet.fields:
                wanted[position] = column.field
                sheet.fields.add(column.field)
            elif columns.is_never_stored(heading):
                sheet.ignored.append(heading)
            else:
                sheet.unknown.append(heading)
        for line, row in table.rows:
            values = {name: row[position] for position, name in wanted.items() if position < len(row)}
            if any(v is not None and str(v).strip() != "" for v in values.values()):
                sheet.rows.append((line, values))
        return sheet
    raise SheetFileError("no_heading")
