"""Text that a spreadsheet would run as a formula is written as text (CSV/formula injection).

A child's name, a book's title or a string a kiosk sent may begin with `=`, `+`, `-` or `@`; Excel and
LibreOffice read such a cell as a formula (`=HYPERLINK("http://…","点我")` becomes a live link, and
worse formulas reach other files or run commands) when the clerk opens the export. So:

- XLSX: the cell is a string cell holding the value exactly as typed, marked with the quote prefix
  (what Excel itself sets when a person types `'=…`), so neither opening the file nor editing the cell
  turns it into a formula, and the value reads back unchanged.
- CSV has no cell types: the OWASP convention — every field quoted, and a field that begins with one
  of those characters (or a tab or carriage return) gets a leading apostrophe, which spreadsheets show
  as text. `unguarded` takes it off again when a school's own export is imported back.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def as_text_cell(cell: Cell) -> None:
    """Keep a string cell a string: openpyxl takes any value beginning with `=` for a formula."""
    if isinstance(cell.value, str) and looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def guard_row(cells: Any) -> None:
    for cell in cells:
        as_text_cell(cell)


def csv_text(value: str) -> str:
    """A CSV field's text: an apostrophe before a formula's first character (OWASP)."""
    return "'" + value if looks_like_formula(value) else value


def unguarded(value: str) -> str:
    """A CSV field as the school typed it, from one an export guarded with csv_text."""
    if value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value
