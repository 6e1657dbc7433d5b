"""Book and equipment registers as schools keep them, made for the tests: an Excel 图书登记 with a title
row and a column the office does not use (出版社), and the same as CSV in GBK or UTF-8 with a BOM. One
row is one copy."""

from __future__ import annotations

from collections.abc import Sequence

from tests.sync.office.rosterfiles import csv_bytes as _csv_bytes
from tests.sync.office.rosterfiles import xlsx as _xlsx

HEADINGS = ["序号", "条码", "书名", "类别", "作者", "出版社", "ISBN", "单价", "入库日期"]
# Real ISBNs with right check digits, in the two lengths.
ISBN_13 = "978-7-5346-5411-4"
ISBN_10 = "7-02-000220-X"


def copy_row(
    barcode: str,
    title: str,
    *,
    kind: str = "图书",
    author: str = "",
    isbn: str = "",
    price: object = "",
    acquired: object = "",
) -> list[object]:
    return ["", barcode, title, kind, author, "某某出版社", isbn, price, acquired]


def xlsx(title: str, rows: Sequence[Sequence[object]], headings: Sequence[str] = HEADINGS) -> bytes:
    return _xlsx(title, rows, headings)


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str, headings: Sequence[str] = HEADINGS) -> bytes:
    return _csv_bytes(rows, encoding, headings)
