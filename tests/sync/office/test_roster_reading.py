"""Reading a school's roster file, without a server: where its table is (titles, headings on two rows,
one sheet per class), what each column is, the class a sheet names, the words in its closed columns,
and that no ID number survives the reading."""

from __future__ import annotations

import json
from datetime import date

import pytest

from db.enums import GuardianType, Relation
from sync.server.core.student_numbers import StudentKey, canonical, holds_id_number, masked_parts, shown
from sync.server.office.fields import FieldProblem
from sync.server.office.roster import roster_words as words
from sync.server.office.roster.class_names import ClassKey, find_class, same_class
from sync.server.office.roster.roster_reading import CHOSEN, FIELD, NEVER, NOT_USED, UNKNOWN, read_roster
from tests.sync.office.school_rosters import (
    gbk_csv,
    own_words,
    pupils,
    sheet_per_class,
    township_form,
    two_row_headings,
)

KEY = StudentKey(b"k" * 32)


def kinds(sheet) -> dict[str, tuple[str, str | None]]:
    return {c.heading: (c.kind, c.field) for c in sheet.columns}


def test_the_township_form_under_two_merged_titles() -> None:
    children = pupils(5)
    roster = read_roster("花名册.xlsx", township_form(children), KEY, {})
    (sheet,) = roster.sheets
    found = kinds(sheet)
    assert found["学生姓名"] == (FIELD, "name") and found["全国学籍号"] == (FIELD, "student_no")
    assert found["留守类型"] == (FIELD, "parents_away") and found["监护人关系"] == (
        FIELD,
        "guardian_relation",
    )
    assert found["年级班级"] == (FIELD, "class_name")
    assert found["父亲 联系电话"] == (FIELD, "father_phone")  # "父亲\n联系电话" in one cell
    assert found["身份证件号"][0] == NEVER and found["家庭住址"][0] == NEVER
    assert found["序号"][0] == NOT_USED and found["备注"][0] == NOT_USED
    assert [line for line, _cells in sheet.rows] == [4, 5, 6, 7, 8]  # the signature line is no child


def test_headings_on_two_rows_are_read_together() -> None:
    roster = read_roster("登记表.xlsx", two_row_headings(pupils(4)), KEY, {})
    found = kinds(roster.sheets[0])
    assert found["父亲姓名"] == (FIELD, "father_name")
    assert found["母亲是否外出务工"] == (FIELD, "mother_away")
    assert found["临时监护人与本人关系"] == (FIELD, "guardian_relation")
    assert found["临时监护人联系电话"] == (FIELD, "guardian_phone")
    assert found["监护类型"] == (FIELD, "guardian_type") and found["出生年月日"] == (FIELD, "birthday")
    assert roster.sheets[0].rows[0][0] == 4


def test_one_sheet_per_class_names_its_class() -> None:
    children = pupils(7)
    roster = read_roster("各班.xlsx", sheet_per_class(children), KEY, {})
    assert roster.left_aside == ["填写说明", "汇总"]
    assert [s.class_name for s in roster.sheets] == list(dict.fromkeys(p.class_name for p in children))
    assert kinds(roster.sheets[0])["关系"] == (FIELD, "guardian_relation")


def test_unknown_headings_are_asked_and_a_schools_answer_is_remembered() -> None:
    content = own_words(pupils(3))
    first = kinds(read_roster("表.xlsx", content, KEY, {}).sheets[0])
    assert {h for h, (kind, _f) in first.items() if kind == UNKNOWN} == {
        "孩子跟谁住", "主要看护人", "看护人手机", "爸爸或妈妈手机",
    }  # fmt: skip
    again = kinds(
        read_roster(
            "表.xlsx", content, KEY, {"孩子跟谁住": "guardian_relation", "爸爸或妈妈手机": ""}
        ).sheets[0]
    )
    assert again["孩子跟谁住"] == (CHOSEN, "guardian_relation") and again["爸爸或妈妈手机"] == (CHOSEN, None)


@pytest.mark.parametrize("layout", [township_form, two_row_headings, sheet_per_class, own_words])
def test_no_id_number_survives_the_reading(layout) -> None:
    children = pupils(6, seed=19)
    roster = read_roster("花名册.xlsx", layout(children), KEY, {})
    kept = json.dumps([s.rows for s in roster.sheets], ensure_ascii=False, default=str)
    for child in children:
        assert child.id_number[:14] not in kept
        assert KEY.digest(child.student_no) in kept  # matched by its keyed hash instead


def test_a_gbk_csv() -> None:
    roster = read_roster("花名册.csv", gbk_csv(pupils(3, rare=False)), KEY, {})
    assert kinds(roster.sheets[0])["身份证号"][0] == NEVER and len(roster.sheets[0].rows) == 3


def test_class_names_as_schools_write_them() -> None:
    assert find_class("张大庙小学三年级(2)班留守儿童花名册").text == "三年级(2)班"
    for written in ("三年级（2）班", "三年级2班", "三(2)班", "3年级2班"):
        assert find_class(written).key == ClassKey(3, 2), written
    assert find_class("初一(1)班").key == find_class("七年级1班").key == ClassKey(7, 1)
    known = {"三年级(2)班": ClassKey(3, 2), "初一(1)班": ClassKey(7, 1)}
    assert same_class("三年级2班", known) == "三年级(2)班" and same_class("四年级2班", known) is None


def test_relation_words_keep_the_schools_word() -> None:
    for word in ("祖父", "祖母", "外祖父", "外祖母", "外公", "外婆", "爷爷", "奶奶"):
        assert words.relation(word) == (Relation.GRANDPARENT, word)
    for word in ("伯父", "叔叔", "姑姑", "舅舅", "姨妈", "哥哥", "姐姐", "其他亲属"):
        assert words.relation(word) == (Relation.OTHER_RELATIVE, word)
    assert words.relation("母亲") == (Relation.MOTHER, "母亲") and words.relation("") is None
    with pytest.raises(FieldProblem):
        words.relation("隔壁王家")


def test_a_fact_not_given_is_unknown() -> None:
    assert words.yes_no("") is None and words.yes_no("未填") is None and words.yes_no("否") is False
    assert words.parents_away("父亲外出") == (True, False) and words.parents_away("未填") is None
    assert words.parents_away(None) is None
    assert words.guardian_type_from(None, None, None) is None
    assert words.guardian_type_from(Relation.GRANDPARENT, True, True) is GuardianType.GRANDPARENTS
    assert words.guardian_type_from(None, True, False) is GuardianType.ONE_PARENT


def test_student_numbers_are_shown_by_their_last_four() -> None:
    national = "G52262320160504123X"
    assert holds_id_number(national) and holds_id_number(national[1:]) and not holds_id_number("20190101")
    assert (
        shown(national) == "G****123X"
        and shown(national[1:]) == "****123X"
        and shown("20190101") == "20190101"
    )
    assert canonical(national) == canonical(national[1:].lower()) == national[1:]
    assert masked_parts("G****123X") == ("G", "123X") and masked_parts("20190101") is None
    assert KEY.digest(national) == KEY.digest(" " + national[1:]) != StudentKey(b"x" * 32).digest(national)
    assert KEY.digest(national) != KEY.digest("G522623201605041231")


def test_dates_as_schools_type_them() -> None:
    from sync.server.office.fields import calendar_day

    for typed in ("2015-03-03", "2015.3.3", "2015年3月3日", "20150303", "2015/3/3", 20150303):
        assert calendar_day(typed, "birthday") == date(2015, 3, 3), typed
