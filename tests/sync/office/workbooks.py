"""Reading downloaded XLSX files in tests, cell by cell, as a school would open them in Excel."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


def sheet_titles(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [sheet.title for sheet in book.worksheets]


def sheet_rows(content: bytes, title_part: str) -> list[list[Any]]:
    """The cell values of the first sheet whose title contains `title_part`."""
    book = load_workbook(io.BytesIO(content))
    sheet = next(s for s in book.worksheets if title_part in s.title)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def body_and_total(rows: list[list[Any]], header_label: str) -> tuple[list[list[Any]], list[Any]]:
    """The rows under the header row that starts with `header_label`, and the total row (the last
    non-empty row before the notes)."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == header_label)
    body = []
    for row in rows[start + 1 :]:
        if row[0] is None and all(v is None for v in row):
            continue
        if all(v is None for v in row[1:]) and isinstance(row[0], str) and len(row[0]) > 20:
            break  # a note
        body.append(row)
    return body[:-1], body[-1]
