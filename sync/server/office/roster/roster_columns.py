"""The columns of a 花名册 (class roster) as schools head them, and the ones the office never keeps.

Schools keep rosters as spreadsheets with their own headings; each field below lists the headings
seen for it (the first is what the office's own template and export use). The people on a roster —
father, mother, temporary guardian — are headed in many combinations (父亲联系电话, 监护人姓名, 爸爸手机,
临时监护人与本人关系 …), so their headings are made from each person's names and each part's names; a
heading on two rows (父亲 over 联系电话) reads the same once joined.

Columns for ID numbers, addresses, income, health and the like are recognised only to be dropped —
and named in the preview as not stored — because the room does not need them (the national
基本情况登记表 asks for far more than a room should hold). Columns the office knows it does not use
(序号, 备注, 民族 …) are dropped without asking; any other heading is asked about in the preview.
"""

from __future__ import annotations

from sync.server.office.sheets.sheet_columns import ColumnSet, SheetColumn

_PERSONS = {
    "father": ("父亲", "爸爸", "父亲（监护人）"),
    "mother": ("母亲", "妈妈", "母亲（监护人）"),
    "guardian": (
        "临时监护人",
        "监护人",
        "代理监护人",
        "委托监护人",
        "现监护人",
        "托管人",
        "代管人",
        "第二监护人",
    ),
}
_NAME_PARTS = ("姓名", "名字", "")
_PHONE_PARTS = ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "联系号码")
_AWAY_PARTS = ("外出务工", "是否外出", "是否外出务工", "外出", "是否在外务工", "外出情况", "务工情况")
_RELATION_PARTS = ("关系", "与儿童关系", "与学生关系", "与本人关系", "与孩子关系", "与幼儿关系", "称谓")


def _person(person: str, parts: tuple[str, ...], *, office: str) -> tuple[str, ...]:
    made = [office] + [name + part for name in _PERSONS[person] for part in parts]
    return tuple(dict.fromkeys(h for h in made if h))


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn(
        "student_no",
        (
            "学号",
            "学籍号",
            "全国学籍号",
            "学籍号码",
            "全国学籍号码",
            "学生学籍号",
            "学生编号",
            "编号",
            "student no",
            "student number",
        ),
    ),
    SheetColumn("name", ("姓名", "学生姓名", "儿童姓名", "留守儿童姓名", "幼儿姓名", "孩子姓名", "name")),
    SheetColumn("gender", ("性别", "gender", "sex")),
    SheetColumn(
        "birthday", ("出生日期", "出生年月日", "出生年月", "生日", "出生时间", "birthday", "date of birth")
    ),
    SheetColumn("class_name", ("班级", "所在班级", "年级班级", "班别", "年级班别", "就读班级", "class")),
    SheetColumn("grade_name", ("年级", "所在年级", "grade")),
    SheetColumn(
        "guardian_type", ("监护类型", "监护方式", "监护情况", "监护形式", "监护人类型", "guardian type")
    ),
    SheetColumn(
        "parents_away",
        (
            "外出情况",
            "父母外出情况",
            "留守类型",
            "留守情况",
            "外出务工情况",
            "父母务工情况",
            "父母外出务工情况",
            "parents away",
        ),
    ),
    SheetColumn("father_away", _person("father", _AWAY_PARTS, office="父亲外出务工") + ("father away",)),
    SheetColumn("mother_away", _person("mother", _AWAY_PARTS, office="母亲外出务工") + ("mother away",)),
    SheetColumn(
        "home_parent_unable",
        ("在家一方无监护能力", "在家父母无监护能力", "在家一方无监护能力（是/否）", "home parent unable"),
    ),
    SheetColumn("care", ("监护情况评估", "监护评估", "监护状况评估", "监护情况评价", "care")),
    SheetColumn("father_name", _person("father", _NAME_PARTS, office="父亲姓名") + ("father name",)),
    SheetColumn("father_phone", _person("father", _PHONE_PARTS, office="父亲电话") + ("father phone",)),
    SheetColumn("mother_name", _person("mother", _NAME_PARTS, office="母亲姓名") + ("mother name",)),
    SheetColumn("mother_phone", _person("mother", _PHONE_PARTS, office="母亲电话") + ("mother phone",)),
    SheetColumn("guardian_name", _person("guardian", _NAME_PARTS, office="临时监护人") + ("guardian name",)),
    SheetColumn(
        "guardian_relation",
        ("与儿童关系", "监护人关系", "与学生关系", "与本人关系", "关系", "与孩子关系")
        + _person("guardian", _RELATION_PARTS, office="与儿童关系")
        + ("guardian relation",),
    ),
    SheetColumn(
        "guardian_phone", _person("guardian", _PHONE_PARTS, office="临时监护人电话") + ("guardian phone",)
    ),
)

# Recognised, and never read: personal data the room does not need.
NEVER_STORED: tuple[str, ...] = (
    "公民身份号码",
    "证件号码",
    "证件号",
    "证件类型",
    "家庭住址",
    "住址",
    "现住址",
    "家庭地址",
    "户籍地址",
    "户籍所在地",
    "家庭收入",
    "家庭年收入",
    "人均收入",
    "经济状况",
    "经济来源",
    "低保",
    "是否低保",
    "建档立卡",
    "是否建档立卡",
    "贫困户",
    "健康状况",
    "身体状况",
    "残疾情况",
    "是否残疾",
    "残疾类型",
    "务工地址",
    "务工单位",
    "务工地点",
    "工作单位",
    "父亲务工地点",
    "母亲务工地点",
    "父亲工作单位",
    "母亲工作单位",
    "父亲务工地址",
    "母亲务工地址",
    "监护人身体状况",
    "监护人健康状况",
    "心理状况",
)
NEVER_STORED_PARTS = ("身份证", "证件号", "住址", "地址", "收入", "残疾", "健康", "病")

# Recognised, and not used: dropped without asking.
NOT_USED: tuple[str, ...] = (
    "序号",
    "备注",
    "民族",
    "年龄",
    "籍贯",
    "学校",
    "学校名称",
    "学段",
    "是否寄宿",
    "寄宿",
    "是否住校",
    "户口性质",
    "户籍性质",
    "乡镇",
    "村",
    "村组",
    "组",
    "入学时间",
    "入学年月",
    "家庭人口",
    "照片",
    "签名",
    "政治面貌",
    "身高",
    "体重",
    "文化程度",
    "监护人文化程度",
    "监护人年龄",
    "父亲文化程度",
    "母亲文化程度",
    "兴趣爱好",
    "性格特征",
    "帮扶教师",
    "结对教师",
    "代理家长",
    "爱心妈妈",
)

ROSTER = ColumnSet(
    COLUMNS,
    anchor="name",
    never_stored=NEVER_STORED,
    never_stored_parts=NEVER_STORED_PARTS,
    not_used=NOT_USED,
)

# The fields a clerk may give an unknown column in the preview (any other is not imported).
CHOOSABLE: tuple[str, ...] = tuple(c.field for c in COLUMNS)
