"""Reading downloaded XLSX files in tests, cell by cell, as a school would open them in Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


def sheet_titles(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [sheet.title for sheet in book.worksheets]


@dataclass
class SheetTable:
    title: str  # the sheet's first row: report and table title
    subtitle: str  # school and period
    labels: list[str]  # column labels (the lower header row where columns are grouped)
    groups: list[str | None]  # the group above each column, if any
    rows: list[list[Any]]
    total: list[Any] | None
    print_titles: str | None
    orientation: str | None

    def column(self, label: str, group: str | None = None) -> int:
        return next(
            i
            for i, (lab, grp) in enumerate(zip(self.labels, self.groups, strict=True))
            if lab == label and (group is None or grp == group)
        )

    def values(self, label: str, group: str | None = None) -> list[Any]:
        index = self.column(label, group)
        return [row[index] for row in self.rows]


def table(content: bytes, title_part: str, total_label: str | None = "合计") -> SheetTable:
    """The sheet whose title contains `title_part`; its total row is the one whose first cell starts
    with `total_label` (None: the table has none)."""
    book = load_workbook(io.BytesIO(content))
    sheet = next(s for s in book.worksheets if title_part in s.title)
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = cells[2]
    grouped = len(cells) > 3 and cells[3] and cells[3][0] is None and any(v is not None for v in cells[3])
    if grouped:
        lower = cells[3]
        labels = [lower[i] if lower[i] is not None else header[i] for i in range(len(header))]
        groups, current = [], None
        for i in range(len(header)):
            if lower[i] is None:
                current = None
                groups.append(None)
            else:
                current = header[i] if header[i] is not None else current
                groups.append(current)
        body_start = 4
    else:
        labels, groups, body_start = list(header), [None] * len(header), 3
    width = len(labels)
    rows, total = [], None
    for row in cells[body_start:]:
        row = (row + [None] * width)[:width]
        is_total = total_label is not None and isinstance(row[0], str) and row[0].startswith(total_label)
        if is_total:
            total = row
            continue
        if all(v is None for v in row[1:]) and (row[0] is None or isinstance(row[0], str)):
            break  # the notes and the lines to sign under the table
        rows.append(row)
    return SheetTable(
        str(cells[0][0]),
        str(cells[1][0]),
        labels,
        groups,
        rows,
        total,
        sheet.print_title_rows,
        sheet.page_setup.orientation,
    )


def assert_reconciles(sheet: SheetTable, whole: int, whole_label: str = "人数") -> None:
    """A breakdown of the statistics form (表间勾稽关系): its total is `whole`, its categories add up to
    it in every row and in the total row, its class rows add up to the total row, and each share is
    computed from the counts shown."""
    first = sheet.column(whole_label)
    counts = [i for i, label in enumerate(sheet.labels) if label == "人数" and sheet.groups[i]]
    shares = [i for i, label in enumerate(sheet.labels) if label == "占比(%)" and sheet.groups[i]]
    assert sheet.total is not None and sheet.total[first] == whole, (sheet.title, sheet.total, whole)
    for row in [*sheet.rows, sheet.total]:
        assert sum(row[i] for i in counts) == row[first], (sheet.title, row)
        for count_index, share_index in zip(counts, shares, strict=True):
            expected = round(100 * row[count_index] / row[first], 1) if row[first] else None
            assert row[share_index] == expected, (sheet.title, row)
    for index in [first, *counts]:
        assert sum(row[index] for row in sheet.rows) == sheet.total[index], (sheet.title, index)
