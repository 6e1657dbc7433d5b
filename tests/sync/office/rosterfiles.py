"""Roster files as schools keep them, made for the tests: an Excel 花名册 with a title row and columns the
office must ignore, a CSV saved by Excel on a Chinese Windows (GBK), one with UTF-8 and a BOM."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

HEADINGS = [
    "序号",
    "学号",
    "姓名",
    "性别",
    "出生日期",
    "班级",
    "身份证号",
    "监护类型",
    "外出情况",
    "父亲姓名",
    "父亲电话",
    "母亲姓名",
    "母亲电话",
    "临时监护人",
    "与儿童关系",
    "临时监护人电话",
    "家庭住址",
]


def row(
    number: str,
    name: str,
    class_name: str,
    *,
    gender: str = "女",
    birthday: object = "2016-05-04",
    guardian: str = "祖辈监护",
    away: str = "父母均外出",
    father: tuple[str, str] = ("", ""),
    mother: tuple[str, str] = ("", ""),
    carer: tuple[str, str, str] = ("", "", ""),
    id_number: str = "",
) -> list[object]:
    return [
        "",
        number,
        name,
        gender,
        birthday,
        class_name,
        id_number,
        guardian,
        away,
        *father,
        *mother,
        carer[0],
        carer[1],
        carer[2],
        "某某村三组",
    ]


def xlsx(title: str, rows: Sequence[Sequence[object]], headings: Sequence[str] = HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(list(headings))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str, headings: Sequence[str] = HEADINGS) -> bytes:
    lines = [",".join(headings)] + [",".join("" if v is None else str(v) for v in values) for values in rows]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(encoding)
