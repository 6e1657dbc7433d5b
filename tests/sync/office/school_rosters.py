"""Rosters (花名册) as real schools keep them, built for the tests the way Excel, WPS and a clerk would
have made them, not in the office's own vocabulary.

Each layout is one a school uses:

- `township_form`: the township's form — two merged title rows, 年级班级 / 全国学籍号 / 学生姓名, a
  身份证件号 column (never to be stored), 留守类型 instead of 外出情况, no 监护类型 column (it follows
  from 监护人关系: 祖父, 外婆, 伯父 …), Excel date cells, a 家庭住址 and a 备注 column, and the signature
  line under the table.
- `two_row_headings`: 父亲 / 母亲 / 临时监护人 merged over 姓名 · 是否外出务工 · 联系电话 on a second
  heading row, the other headings merged down over both rows; dates typed as 2015.3.3.
- `sheet_per_class`: one sheet per class (the class is the sheet, no 班级 column), a 填写说明 sheet
  first and a 汇总 sheet last; dates typed as 2015年3月3日 or kept as the number 20150303; 监护情况 for
  the guardian type and 外出情况 in one column.
- `gbk_csv`: saved by Excel on a Chinese Windows as CSV (code page 936): 父亲外出务工 / 母亲外出务工
  as 是 / 否, dates as 2015/3/3, the 18-digit ID number already mangled by Excel into 5.22623E+17.
- `own_words`: a school's own headings nobody could guess (孩子跟谁住, 主要看护人 …), which the clerk
  maps once in the preview.

`Pupil` is the truth each file is made from, so a test can compare what the office kept with what the
school wrote. Names include rare characters (王𠈌 with a character outside the BMP, 刘䶮) and a Uyghur name
with its middle dot (阿依古丽·买买提). ID numbers are made up, with a right check digit and real county
codes, because a real-looking one is what the office must refuse to keep.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

RARE_NAMES = ("王𠈌", "刘䶮", "阿依古丽·买买提")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐冶韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "子涵浩宇欣怡梓萱俊杰雨桐思远嘉怡一诺宇轩明轩佳琪晨曦语嫣浩然梦瑶天佑若曦博文诗涵志强秀英建华"
COUNTIES = ("522623", "341321", "411421", "632801", "513721", "431223")  # 施秉 砀山 民权 格尔木 通江 辰溪
GRANDPARENT_WORDS = ("祖父", "祖母", "外祖父", "外祖母", "外公", "外婆", "爷爷", "奶奶")
RELATIVE_WORDS = ("伯父", "叔叔", "姑姑", "舅舅", "姨妈", "哥哥", "姐姐", "其他亲属")
CLASSES = ("一年级(1)班", "一年级(2)班", "三年级(1)班", "四年级(2)班", "六年级(1)班")
_GRADE_DIGITS = "一二三四五六"


def id_number(county: str, birthday: date, sequence: int) -> str:
    """A made-up 18-character ID number (GB 11643) with a right check digit."""
    body = f"{county}{birthday:%Y%m%d}{sequence % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


@dataclass(frozen=True)
class Pupil:
    name: str
    gender: str  # 男 / 女
    birthday: date
    class_name: str  # as the school names it: 三年级(1)班
    id_number: str
    father: tuple[str, str]  # name, phone
    mother: tuple[str, str]
    away: str  # "both" | "father" | "mother"
    home_parent_unable: bool | None  # only asked when one parent is away; None: the file does not say
    guardian: tuple[str, str, str]  # name, relation as the school writes it (外婆 …), phone
    care: str  # 较好 / 一般 / 差
    written_kind: str | None = None  # the 监护类型 the school wrote, when not the usual one for the relation

    @property
    def student_no(self) -> str:
        """The national 学籍号: "G" and the ID number."""
        return "G" + self.id_number

    @property
    def relation(self) -> str:
        return self.guardian[1]

    @property
    def guardian_kind(self) -> str:
        """The 监护类型 a school would write for this child."""
        if self.written_kind is not None:
            return self.written_kind
        if self.relation in GRANDPARENT_WORDS:
            return "祖辈监护"
        if self.relation in ("父亲", "母亲"):
            return "父母单方监护"
        return "亲朋监护"

    @property
    def away_words(self) -> str:
        return {"both": "父母均外出", "father": "父亲外出", "mother": "母亲外出"}[self.away]


def pupils(count: int, *, seed: int = 7, classes: Sequence[str] = CLASSES, rare: bool = True) -> list[Pupil]:
    """`count` children spread over `classes`; the first three carry the rare names (unless `rare`
    is off: a GBK file cannot hold them). Both parents away for about half of them, as in the seeds."""
    rng = random.Random(seed)
    found: list[Pupil] = []
    used: set[str] = set()
    numbers: set[str] = set()
    for index in range(count):
        class_name = classes[index % len(classes)]
        grade = _GRADE_DIGITS.index(class_name[0]) + 1 if class_name[0] in _GRADE_DIGITS else 3
        name = RARE_NAMES[index] if rare and index < len(RARE_NAMES) else _new_name(rng, used)
        used.add(name)
        surname = name[0]
        birthday = date(2026 - 6 - grade, 9, 1) + timedelta(days=rng.randrange(365))
        gender = rng.choice("男女")
        while True:  # two children never share an ID number
            sequence = rng.randrange(1, 500) * 2 + (1 if gender == "男" else 0)
            number = id_number(rng.choice(COUNTIES), birthday, sequence)
            if number not in numbers:
                numbers.add(number)
                break
        father = (surname + rng.choice(("建国", "大山", "志强", "国华", "永平", "德明")), _phone(rng))
        mother = (
            rng.choice(SURNAMES) + rng.choice(("秀兰", "桂英", "丽", "芳", "玉梅", "海燕")),
            _phone(rng),
        )
        away = rng.choices(("both", "father", "mother"), weights=(55, 35, 10))[0]
        if away == "both":
            relation = rng.choice(GRANDPARENT_WORDS + RELATIVE_WORDS[:5])
            unable = None
        else:
            relation = "母亲" if away == "father" else "父亲"
            unable = rng.random() < 0.15
        if relation in ("父亲", "母亲"):
            at_home = mother if relation == "母亲" else father
            guardian = (at_home[0], relation, at_home[1])
        else:
            guardian_surname = (
                surname if relation in ("祖父", "祖母", "爷爷", "奶奶", "伯父", "叔叔") else "张"
            )
            guardian = (
                guardian_surname + rng.choice(("桂花", "德福", "秀珍", "长林")),
                relation,
                _phone(rng),
            )
        if "·" in name:  # a Uyghur family: the parents' names are written the same way
            father, mother = ("买买提·吐尔逊", father[1]), ("阿依努尔·卡德尔", mother[1])
            if relation in ("父亲", "母亲"):
                guardian = (father if relation == "父亲" else mother)[0], relation, guardian[2]
        care = rng.choices(("较好", "一般", "差"), weights=(60, 35, 5))[0]
        found.append(
            Pupil(name, gender, birthday, class_name, number, father, mother, away, unable, guardian, care)
        )
    return found


def _new_name(rng: random.Random, used: set[str]) -> str:
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        name = rng.choice(SURNAMES) + given
        if name not in used:
            return name


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10)}0000{rng.randrange(1000, 10000)}"


def _spaced(phone: str) -> str:
    """A phone as clerks type it: 138 0000 1234."""
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}"


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _title(sheet: Worksheet, row: int, text: str, width: int, *, size: int = 16) -> None:
    """A title merged across the table, as schools head their forms."""
    sheet.cell(row=row, column=1, value=text).font = Font(bold=True, size=size)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _excel_date(sheet: Worksheet, row: int, column: int, day: date, number_format: str) -> None:
    cell = sheet.cell(row=row, column=column, value=datetime(day.year, day.month, day.day))
    cell.number_format = number_format


# -- the township's form -----------------------------------------------------------------------------

TOWNSHIP_HEADINGS = (
    "序号", "年级班级", "全国学籍号", "学生姓名", "性别", "出生日期", "身份证件号", "留守类型",
    "父亲姓名", "父亲\n联系电话", "母亲姓名", "母亲\n联系电话", "监护人姓名", "监护人关系",
    "监护人联系电话", "家庭住址", "备注",
)  # fmt: skip


def township_form(children: Iterable[Pupil], *, school: str = "城关镇中心小学") -> bytes:
    children = list(children)
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    width = len(TOWNSHIP_HEADINGS)
    _title(sheet, 1, f"{school}2026年秋季学期留守儿童花名册", width)
    _title(sheet, 2, f"学校（盖章）：{school}　　　　填表时间：2026年9月3日", width, size=11)
    for column, heading in enumerate(TOWNSHIP_HEADINGS, start=1):
        cell = sheet.cell(row=3, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for offset, child in enumerate(children):
        row = 4 + offset
        values = [
            offset + 1, child.class_name.replace("(", "（").replace(")", "）"), child.student_no,
            child.name, child.gender, None, child.id_number, child.away_words,
            child.father[0], int(child.father[1]), child.mother[0], _spaced(child.mother[1]),
            child.guardian[0], child.guardian[1], child.guardian[2], "城关镇新民村三组", "",
        ]  # fmt: skip
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row, column=column, value=value)
        _excel_date(sheet, row, 6, child.birthday, "yyyy-mm-dd")
    footer = 4 + len(children) + 1
    sheet.cell(row=footer, column=1, value="填表人：张老师　　　审核人：　　　　　联系电话：0856-8120041")
    sheet.merge_cells(start_row=footer, start_column=1, end_row=footer, end_column=width)
    return _save(book)


# -- headings on two rows ----------------------------------------------------------------------------

_TOP = ("序号", "学籍号", "姓名", "性别", "出生年月日", "班级")
_PEOPLE = ("父亲", "母亲", "临时监护人")
_AFTER = ("监护类型", "在家一方无监护能力", "监护情况评估")


def two_row_headings(children: Iterable[Pupil], *, school: str = "回龙九年制学校") -> bytes:
    children = list(children)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    width = len(_TOP) + 3 * len(_PEOPLE) + len(_AFTER)
    _title(sheet, 1, f"{school}留守儿童信息登记表", width)
    column = 1
    for heading in _TOP:
        sheet.cell(row=2, column=column, value=heading)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        column += 1
    for person in _PEOPLE:
        sheet.cell(row=2, column=column, value=person)
        sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + 2)
        second = "与本人关系" if person == "临时监护人" else "是否外出务工"
        for part, sub in enumerate(("姓名", second, "联系电话")):
            sheet.cell(row=3, column=column + part, value=sub)
        column += 3
    for heading in _AFTER:
        sheet.cell(row=2, column=column, value=heading)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        column += 1
    for offset, child in enumerate(children):
        father_out = "是" if child.away in ("both", "father") else "否"
        mother_out = "是" if child.away in ("both", "mother") else "否"
        unable = "" if child.home_parent_unable is None else ("是" if child.home_parent_unable else "否")
        sheet.append(
            [
                offset + 1, child.student_no, child.name, child.gender,
                f"{child.birthday.year}.{child.birthday.month}.{child.birthday.day}", child.class_name,
                child.father[0], father_out, child.father[1], child.mother[0], mother_out, child.mother[1],
                *child.guardian, child.guardian_kind, unable, child.care,
            ]
        )  # fmt: skip
    return _save(book)


# -- one sheet per class -----------------------------------------------------------------------------

PER_CLASS_HEADINGS = (
    "学号", "姓名", "性别", "出生日期", "外出情况", "监护情况", "监护人", "关系", "监护人电话",
    "父亲电话", "母亲电话",
)  # fmt: skip


def sheet_per_class(children: Iterable[Pupil], *, school: str = "张大庙小学") -> bytes:
    by_class: dict[str, list[Pupil]] = {}
    for child in children:
        by_class.setdefault(child.class_name, []).append(child)
    book = Workbook()
    notes = book.active
    notes.title = "填写说明"
    notes.append(["1. 每个班一张表，表名为班级名称。"])
    notes.append(["2. 出生日期写成 2015年3月3日。"])
    width = len(PER_CLASS_HEADINGS)
    for class_name, members in by_class.items():
        sheet = book.create_sheet(class_name)
        _title(sheet, 1, f"{school}{class_name}留守儿童花名册", width)
        sheet.append([])
        sheet.append(list(PER_CLASS_HEADINGS))
        for offset, child in enumerate(members):
            born: object = (
                int(f"{child.birthday:%Y%m%d}")
                if offset % 2
                else f"{child.birthday.year}年{child.birthday.month}月{child.birthday.day}日"
            )
            sheet.append(
                [
                    child.student_no, child.name, child.gender, born, child.away_words, child.guardian_kind,
                    child.guardian[0], child.guardian[1], child.guardian[2], child.father[1],
                    child.mother[1],
                ]
            )  # fmt: skip
    summary = book.create_sheet("汇总")
    summary.append(["班级", "人数"])
    for class_name, members in by_class.items():
        summary.append([class_name, len(members)])
    return _save(book)


# -- CSV from Excel on a Chinese Windows ---------------------------------------------------------------

CSV_HEADINGS = (
    "学号", "姓名", "性别", "出生日期", "班级", "监护情况", "父亲外出务工", "母亲外出务工",
    "在家一方无监护能力", "父亲姓名", "父亲电话", "母亲姓名", "母亲电话", "临时监护人", "与儿童关系",
    "临时监护人电话", "身份证号",
)  # fmt: skip


def gbk_csv(children: Iterable[Pupil]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for child in children:
        unable = "" if child.home_parent_unable is None else ("是" if child.home_parent_unable else "否")
        writer.writerow(
            [
                child.student_no, child.name, child.gender,
                f"{child.birthday.year}/{child.birthday.month}/{child.birthday.day}", child.class_name,
                child.guardian_kind, "是" if child.away in ("both", "father") else "否",
                "是" if child.away in ("both", "mother") else "否", unable, *child.father, *child.mother,
                *child.guardian, f"{int(child.id_number[:6]) / 100000:.5f}E+17",
            ]
        )  # fmt: skip
    return buffer.getvalue().encode("gbk")


# -- a school's own words -----------------------------------------------------------------------------

OWN_WORDS_HEADINGS = (
    "学籍号", "姓名", "性别", "出生日期", "班级", "留守类型", "孩子跟谁住", "主要看护人",
    "看护人手机", "爸爸或妈妈手机",
)  # fmt: skip
# What a clerk says each unknown heading is, in the preview's mapping step.
OWN_WORDS_MAPPING = {
    "孩子跟谁住": "guardian_relation",
    "主要看护人": "guardian_name",
    "看护人手机": "guardian_phone",
    "爸爸或妈妈手机": "",  # not imported
}


def own_words(children: Iterable[Pupil]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(OWN_WORDS_HEADINGS))
    for child in children:
        sheet.append(
            [
                child.student_no, child.name, child.gender,
                datetime.combine(child.birthday, datetime.min.time()), child.class_name, child.away_words,
                child.guardian[1], child.guardian[0], child.guardian[2], child.father[1],
            ]
        )  # fmt: skip
        sheet.cell(row=sheet.max_row, column=4).number_format = 'yyyy"年"m"月"d"日"'
    return _save(book)


def with_changes(child: Pupil, **changes: object) -> Pupil:
    return replace(child, **changes)  # type: ignore[arg-type]
