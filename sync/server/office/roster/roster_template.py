"""The blank roster a school can fill in: the office's own headings, a drop-down list on every closed
column (a clerk picks 外婆 or 祖辈监护 instead of typing it five ways), the school's classes in the 班级
list, number columns kept as text (so Excel does not turn a 学籍号 or a phone into 1.38E+10), and a
填写说明 sheet that says what each column takes — and that ID numbers are not wanted.

The lists live on a hidden sheet (选项): Excel limits a list typed into the rule to 255 characters,
which the relation words alone exceed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sync.server.office.roster.roster_export import EXPORTED, LISTS

TEMPLATE_ROWS = 1000  # rows the drop-down lists cover
_TEXT_FIELDS = ("student_no", "father_phone", "mother_phone", "guardian_phone")

NOTES: tuple[tuple[str, str], ...] = (
    (
        "学号",
        "填全国学籍号（G 开头）或学校自己的学号，必填。系统只保存学籍号的加密摘要和后四位，不保存身份证号。",
    ),
    ("姓名", "必填。生僻字（如 𠈌、䶮）和少数民族姓名中的“·”照原样填写。"),
    ("性别", "从下拉列表选：男、女。"),
    ("出生日期", "例如 2015-03-03；也可以写 2015.3.3、2015年3月3日、20150303，或用 Excel 的日期格式。"),
    ("班级", "从下拉列表选本校的班级；新班级照“三年级(2)班”的样子写，导入时会列出，确认后建立。"),
    ("监护类型", "从下拉列表选。不填时，系统按“与儿童关系”推断（祖父母为祖辈监护，其他亲属为亲朋监护）。"),
    ("父亲外出务工 / 母亲外出务工", "从下拉列表选：是、否。不清楚就空着或选“未填”，系统不会当作“否”。"),
    (
        "在家一方无监护能力",
        "只有一方外出时填写：在家的一方因重病、重残等不能照顾孩子选“是”，能照顾选“否”，不清楚选“未填”。",
    ),
    ("监护情况评估", "从下拉列表选：较好、一般、差。"),
    ("电话", "手机 11 位；座机带区号，例如 0856-8120041。"),
    ("临时监护人 / 与儿童关系", "关系从下拉列表选（外婆、爷爷、舅舅……）；系统保留学校写的称呼。"),
    ("不要填写", "身份证号、家庭住址、家庭收入、健康状况：活动室用不到，导入时也不会保存。"),
)


def roster_template(title: str, classes: Sequence[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    headings = [c.heading for c in EXPORTED]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headings)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    lists = book.create_sheet("选项")
    lists.sheet_state = "hidden"
    choices = {**LISTS, "class_name": tuple(classes)}
    column = 0
    for position, exported in enumerate(EXPORTED, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = 14 if "phone" in exported.field else 11
        if exported.field in _TEXT_FIELDS:
            for row in range(3, TEMPLATE_ROWS + 3):
                sheet.cell(row=row, column=position).number_format = "@"
        values = choices.get(exported.field)
        if not values:
            continue
        column += 1
        list_letter = get_column_letter(column)
        lists.cell(row=1, column=column, value=exported.heading)
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=column, value=value)
        rule = DataValidation(
            type="list",
            formula1=f"=选项!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从列表中选择",
            error=f"{exported.heading}请从下拉列表中选择",
        )
        rule.add(f"{letter}3:{letter}{TEMPLATE_ROWS + 2}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A3"
    notes = book.create_sheet("填写说明")
    notes.append(["填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["列", "怎么填"])
    for what, how in NOTES:
        notes.append([f"「{what}」", how])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_row=3):
        row[1].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
