"""The columns of a 花名册 (class roster) as schools head them, and the ones the office never keeps.

Schools keep rosters as spreadsheets with their own headings; each field below lists the headings
seen for it (the first is what the office's own template and export use). Columns for ID numbers,
addresses, income and the like are recognised only to be ignored — and said to be ignored in the
preview — because the room does not need them (the national 基本情况登记表 asks for far more than a
room should hold).
"""

from __future__ import annotations

from sync.server.office.sheets.sheet_columns import ColumnSet, SheetColumn

COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("student_no", ("学号", "学籍号", "学生编号", "编号", "student no", "student number")),
    SheetColumn("name", ("姓名", "学生姓名", "儿童姓名", "name")),
    SheetColumn("gender", ("性别", "gender", "sex")),
    SheetColumn("birthday", ("出生日期", "出生年月日", "出生年月", "生日", "birthday", "date of birth")),
    SheetColumn("class_name", ("班级", "所在班级", "class")),
    SheetColumn("guardian_type", ("监护类型", "监护方式", "guardian type")),
    SheetColumn("parents_away", ("外出情况", "父母外出情况", "parents away")),
    SheetColumn("father_away", ("父亲外出务工", "父亲是否外出", "父亲外出", "father away")),
    SheetColumn("mother_away", ("母亲外出务工", "母亲是否外出", "母亲外出", "mother away")),
    SheetColumn("home_parent_unable", ("在家一方无监护能力", "在家父母无监护能力", "home parent unable")),
    SheetColumn("care", ("监护情况评估", "监护评估", "care")),
    SheetColumn("father_name", ("父亲姓名", "father name")),
    SheetColumn("father_phone", ("父亲电话", "父亲联系电话", "父亲手机", "father phone")),
    SheetColumn("mother_name", ("母亲姓名", "mother name")),
    SheetColumn("mother_phone", ("母亲电话", "母亲联系电话", "母亲手机", "mother phone")),
    SheetColumn(
        "guardian_name", ("临时监护人", "临时监护人姓名", "监护人姓名", "代理监护人", "guardian name")
    ),
    SheetColumn("guardian_relation", ("与儿童关系", "监护人关系", "与学生关系", "guardian relation")),
    SheetColumn("guardian_phone", ("临时监护人电话", "监护人电话", "监护人联系电话", "guardian phone")),
)

# Recognised, and never read: personal data the room does not need.
NEVER_STORED: tuple[str, ...] = (
    "身份证号",
    "身份证号码",
    "身份证",
    "公民身份号码",
    "证件号码",
    "家庭住址",
    "住址",
    "现住址",
    "户籍地址",
    "户籍所在地",
    "家庭收入",
    "家庭年收入",
    "经济状况",
    "低保",
    "健康状况",
    "残疾情况",
    "父亲身份证号",
    "母亲身份证号",
    "监护人身份证号",
    "务工地址",
    "务工单位",
)

ROSTER = ColumnSet(COLUMNS, anchor="name", never_stored=NEVER_STORED, never_stored_part="身份证")
