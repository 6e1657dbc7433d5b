"""The columns of the room's book and equipment register (图书、器材登记) as schools head them.

One row is one physical copy — one barcode or asset label (登记号, 财产号) — because that is what a
child scans at the kiosk and what a stocktake counts; the rows of one title repeat its name. The
first heading of each field is the office's own (template and export). There is nothing personal in a
catalogue, so no column is refused; a heading the office does not use (出版社, 备注 …) is named in the
preview and dropped.
"""

from __future__ import annotations

from sync.server.office.sheets.sheet_columns import ColumnSet, SheetColumn

COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("barcode", ("条码", "条形码", "登记号", "财产号", "资产编号", "编号", "barcode")),
    SheetColumn("title", ("名称", "书名", "题名", "刊名", "品名", "器材名称", "title")),
    SheetColumn("kind", ("类别", "类型", "种类", "分类", "kind")),
    SheetColumn("author", ("作者", "著者", "责任者", "author")),
    SheetColumn("isbn", ("ISBN", "书号", "国际标准书号", "ISBN号")),
    SheetColumn("price", ("单价（元）", "单价", "定价", "价格", "单价(元)", "price")),
    SheetColumn("acquired_on", ("入库日期", "登记日期", "购入日期", "购置日期", "acquired")),
)

CATALOGUE = ColumnSet(COLUMNS, anchor="title")

# Every row needs these; the others may be missing from the file (a register without ISBNs).
REQUIRED_FIELDS = ("barcode", "title", "kind")
