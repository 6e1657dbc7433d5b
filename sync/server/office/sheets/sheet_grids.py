"""The cells of an uploaded spreadsheet, read within limits, so that no file can hold the server.

Upload handlers call this before they open any database transaction (a 147 KB file once held the write
lock for 54 s). Everything is streamed and bounded:

- XLSX: the zip's parts are checked first (how many, how big once inflated); every XML part is then
  scanned by expat, which keeps no tree: a document type declaration (where entities live: the
  "billion laughs") is refused, as are a row of more cells than any roster has and more rows with
  values than one school's import. Only then does openpyxl read the cells, in read-only mode and never
  wider than `MAX_COLUMNS`, whatever the sheet's <dimension> claims (a claim of 16,384 columns once
  took the server to 2.3 GB).
- CSV: UTF-8 (with or without a byte-order mark) or GBK/GB 18030, as Excel on a Chinese Windows
  saves it; a field over the csv module's limit is a form error, not a 500.

Each sheet becomes a `Grid`: its name and its rows that hold anything, with their row numbers as the
spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sync.server.reports.formula_guard import unguarded

MAX_ROWS = 3000  # rows with values, per file: more than a school's roster ever has
HEADING_ROWS = 20  # rows above the data a file may spend on titles and headings
MAX_COLUMNS = 120
MAX_CELLS_PER_ROW = 2000  # <c> elements in one XML row, empty ones included
MAX_CELL_CHARS = 16 * 1024
MAX_SHEETS = 80
MAX_SCANNED_ROWS = 200_000  # XML rows, empty ones included
_MAX_PARTS = 2000
_MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part, inflated
_MAX_STRINGS_BYTES = 24 * 1024 * 1024  # the shared strings, which openpyxl holds in memory
_MAX_TOTAL_BYTES = 256 * 1024 * 1024
_CHUNK = 64 * 1024


class SheetFileError(ValueError):
    """The file cannot be read (`code`: old_excel, unknown_format, unreadable, entities, too_many_rows,
    too_many_columns, cell_too_long, too_many_sheets …)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Grid:
    title: str  # the sheet's name; "" for CSV
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells), non-empty only


def read_grids(filename: str, content: bytes) -> list[Grid]:
    lower = filename.lower()
    if lower.endswith(".xls"):
        raise SheetFileError("old_excel")
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx_grids(content)
    if lower.endswith((".csv", ".txt")):
        return [Grid("", _csv_rows(content))]
    raise SheetFileError("unknown_format")


# -- XLSX ---------------------------------------------------------------------------------------------


def _xlsx_grids(content: bytes) -> list[Grid]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise SheetFileError("unreadable") from exc
    with archive:
        _check_parts(archive)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise SheetFileError("unreadable") from exc
    try:
        if len(book.worksheets) > MAX_SHEETS:
            raise SheetFileError("too_many_sheets")
        grids, total = [], 0
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue  # a template's hidden lists, a clerk's hidden scratch sheet
            rows = list(_sheet_rows(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)))
            total += len(rows)
            if total > MAX_ROWS + HEADING_ROWS * len(book.worksheets):
                raise SheetFileError("too_many_rows")
            grids.append(Grid(sheet.title, rows))
        return grids
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError) as exc:
        raise SheetFileError("unreadable") from exc
    finally:
        book.close()


def _sheet_rows(source: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Any]]]:
    kept = 0
    for number, row in enumerate(source, start=1):
        if number > MAX_SCANNED_ROWS:
            raise SheetFileError("too_many_rows")
        cells = _trimmed(row)
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise SheetFileError("too_many_columns")
        kept += 1
        if kept > MAX_ROWS + HEADING_ROWS:
            raise SheetFileError("too_many_rows")
        yield number, cells


def _trimmed(row: tuple[Any, ...] | list[Any]) -> list[Any]:
    cells = list(row)
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    for value in cells:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise SheetFileError("cell_too_long")
    return cells


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > _MAX_PARTS:
        raise SheetFileError("unreadable")
    if sum(p.file_size for p in parts) > _MAX_TOTAL_BYTES:
        raise SheetFileError("too_large_inside")
    for part in parts:
        name = part.filename
        if not name.endswith((".xml", ".rels")):
            continue
        limit = _MAX_STRINGS_BYTES if name.endswith("sharedStrings.xml") else _MAX_PART_BYTES
        if part.file_size > limit:
            raise SheetFileError("too_large_inside")
        _scan(archive, part, sheet=name.startswith("xl/worksheets/"))


def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo, *, sheet: bool) -> None:
    """Stream one XML part through expat: no document type declaration anywhere; in a sheet, no row
    wider than MAX_CELLS_PER_ROW cells and no more rows with values than an import takes."""
    parser = expat.ParserCreate(namespace_separator=" ")
    counts = {"cells": 0, "valued_rows": 0, "row_has_value": 0}

    def refuse_doctype(*_args: object) -> None:
        raise SheetFileError("entities")

    def start(name: str, _attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            counts["cells"] += 1
            if counts["cells"] > MAX_CELLS_PER_ROW:
                raise SheetFileError("too_many_columns")
        elif local == "row":
            counts["cells"], counts["row_has_value"] = 0, 0
        elif local in ("v", "is") and not counts["row_has_value"]:
            counts["row_has_value"] = 1
            counts["valued_rows"] += 1
            if counts["valued_rows"] > MAX_ROWS + HEADING_ROWS:
                raise SheetFileError("too_many_rows")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    if sheet:
        parser.StartElementHandler = start
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SheetFileError("unreadable") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a bad CRC, a part that lies about its size
        raise SheetFileError("unreadable") from exc


# -- CSV ----------------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
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
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_SCANNED_ROWS:
                raise SheetFileError("too_many_rows")
            # A field the office's own export guarded against formulas ('=…) is read back as typed.
            cells = _trimmed([unguarded(cell) if cell.strip() else None for cell in row])
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise SheetFileError("too_many_columns")
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + HEADING_ROWS:
                raise SheetFileError("too_many_rows")
    except csv.Error as exc:  # a field over the module's limit (128 KB), a stray quote at the end
        raise SheetFileError("cell_too_long" if "field larger" in str(exc) else "unreadable") from exc
    return rows
