"""A school's roster imported as the school keeps it (issue 23, item 1): the township's form with merged
title rows and 留守类型, headings on two rows, one sheet per class, a GBK CSV from Excel, a school's own
headings mapped once in the preview and remembered; relation words kept as the school wrote them;
classes the school has not entered yet made on confirmation; a repeated 学籍号 rejected on its second
row only, naming the first; a fact the file does not give kept as unknown (未填), never as "able"."""

from __future__ import annotations

import re

import pytest

from db.enums import GuardianType
from sync.server.models import OfficeRole, SchoolClass
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.roster_pages import (
    assert_kept_as_written,
    confirm,
    form_fields,
    kept_children,
    rows_by_name,
    statuses,
    upload,
)
from tests.sync.office.school_rosters import (
    CLASSES,
    OWN_WORDS_MAPPING,
    gbk_csv,
    own_words,
    pupils,
    sheet_per_class,
    township_form,
    two_row_headings,
    with_changes,
)


@pytest.fixture
def new_school(central: Central) -> OfficeSchool:
    """A school that has entered nothing yet: no classes, no children; its first roster comes in."""
    ref = central.new_school("城关镇中心小学", demo=False)
    return OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))


def class_names(central: Central, school: OfficeSchool) -> dict[str, int]:
    with central.db.reads() as session:
        return {
            c.name: c.grade
            for c in session.query(SchoolClass).filter(SchoolClass.school_id == school.id, SchoolClass.active)
        }


def test_the_township_form_is_imported_as_it_is(central: Central, new_school: OfficeSchool, client) -> None:
    """Two merged title rows, 年级班级 and 全国学籍号, 留守类型, 监护人关系 祖父 / 外婆 / 伯父 and no
    监护类型 column, a 身份证件号 column, Excel dates, the signature line under the table."""
    browser = client(new_school.admin)
    children = pupils(14)
    page = upload(browser, new_school, "城关镇中心小学花名册.xlsx", township_form(children))
    assert page.status == 200 and "/roster/imports/" in page.url, page.text[:400]
    assert statuses(page) == ["新增"] * len(children)
    assert 'data-form="columns"' not in page.text  # every heading was understood: nothing to map
    for never_kept in ("身份证件号", "家庭住址"):
        assert never_kept in page.text  # named as not stored
    new_classes = [v for n, v in form_fields(page, "/confirm") if n == "new_class"]
    assert sorted(new_classes) == sorted(set(CLASSES))  # listed, ticked

    done = confirm(browser, page)
    assert "新增 14 人" in done.text, (done.url, re.findall(r"notice[^>]*>([^<]*)<", done.text))
    assert class_names(central, new_school) == {
        "一年级(1)班": 1, "一年级(2)班": 1, "三年级(1)班": 3, "四年级(2)班": 4, "六年级(1)班": 6,
    }  # fmt: skip
    kept = kept_children(central, new_school.id)
    assert set(kept) == {p.name for p in children}
    for pupil in children:
        # The form has no 在家一方无监护能力 column: unknown, not "able".
        assert_kept_as_written(kept[pupil.name], pupil, home_parent_unable_known=False)


def test_headings_on_two_rows_under_merged_cells(central: Central, new_school: OfficeSchool, client) -> None:
    browser = client(new_school.admin)
    children = pupils(10, seed=11)
    page = upload(browser, new_school, "登记表.xlsx", two_row_headings(children))
    assert statuses(page) == ["新增"] * len(children), page.table("preview")[:3]
    assert 'data-form="columns"' not in page.text
    confirm(browser, page)
    kept = kept_children(central, new_school.id)
    for pupil in children:
        assert_kept_as_written(kept[pupil.name], pupil)
        assert kept[pupil.name].child.care is not None


def test_one_sheet_per_class(central: Central, new_school: OfficeSchool, client) -> None:
    """The class is the sheet's name; the 填写说明 and 汇总 sheets hold no children and are said to be
    left aside; dates typed 2015年3月3日 or kept as the number 20150303."""
    browser = client(new_school.admin)
    children = pupils(13, seed=5)
    page = upload(browser, new_school, "各班花名册.xlsx", sheet_per_class(children))
    assert statuses(page) == ["新增"] * len(children), page.table("preview")[:3]
    assert "填写说明" in page.text and "汇总" in page.text
    lines = rows_by_name(page)
    assert lines[children[0].name][0].startswith(children[0].class_name)  # a line says its sheet
    confirm(browser, page)
    kept = kept_children(central, new_school.id)
    for pupil in children:
        assert_kept_as_written(kept[pupil.name], pupil, home_parent_unable_known=False, parent_names=False)


def test_a_gbk_csv_saved_by_excel(central: Central, new_school: OfficeSchool, client) -> None:
    browser = client(new_school.admin)
    children = pupils(9, seed=3, rare=False)  # code page 936 cannot hold 𠈌 or 䶮
    content = gbk_csv(children)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    page = upload(browser, new_school, "花名册.csv", content)
    assert statuses(page) == ["新增"] * len(children)
    assert "身份证号" in page.text
    confirm(browser, page)
    kept = kept_children(central, new_school.id)
    for pupil in children:
        assert_kept_as_written(kept[pupil.name], pupil)


def test_a_schools_own_headings_are_mapped_once_and_remembered(
    central: Central, new_school: OfficeSchool, client
) -> None:
    browser = client(new_school.admin)
    children = pupils(6, seed=9)
    page = upload(browser, new_school, "我们的表.xlsx", own_words(children))
    asked = dict(form_fields(page, "/columns"))
    assert 'data-form="columns"' in page.text
    headings = [h for h in OWN_WORDS_MAPPING if h in page.text]
    assert headings == list(OWN_WORDS_MAPPING)  # every heading nobody could guess, and only those
    assert len(asked) == len(OWN_WORDS_MAPPING)
    choices = {
        name: OWN_WORDS_MAPPING[heading]
        for name, heading in zip(sorted(asked), _asked_headings(page), strict=True)
    }
    remapped = browser.post(page.url.replace(browser.base, "") + "/columns", choices)
    assert remapped.status == 200 and 'data-form="columns"' not in remapped.text
    assert statuses(remapped) == ["新增"] * len(children)
    confirm(browser, remapped)
    kept = kept_children(central, new_school.id)
    for pupil in children:
        child = kept[pupil.name].child
        carer = [c for c in kept[pupil.name].contacts if c.relation_word == pupil.relation]
        if pupil.relation not in ("父亲", "母亲"):
            assert carer and carer[0].name == pupil.guardian[0] and carer[0].phone == pupil.guardian[2]
        assert child.guardian_type is not None  # inferred from who looks after the child

    again = upload(browser, new_school, "我们的表.xlsx", own_words(children))
    assert 'data-form="columns"' not in again.text  # the school's choice is remembered
    assert statuses(again) == ["无变化"] * len(children)


def _asked_headings(page) -> list[str]:
    """The unknown headings in the order of the mapping form's fields (map_0, map_1 …)."""
    import re

    found = dict(re.findall(r'<label for="(map_\d+)">([^<]+)</label>', page.text))
    return [found[name].strip() for name in sorted(found)]


def test_a_repeated_student_number_keeps_the_first_row_and_names_it(
    central: Central, new_school: OfficeSchool, client
) -> None:
    browser = client(new_school.admin)
    children = pupils(5, seed=21)
    typed_twice = with_changes(children[1], name="王小明")  # the same 学籍号 under a second name
    page = upload(browser, new_school, "花名册.xlsx", township_form([*children, typed_twice]))
    lines = rows_by_name(page)
    assert lines[children[1].name][1] == "新增"  # the first row stands
    repeat = lines["王小明"]
    assert repeat[1] == "拒绝"
    assert f"与第 {lines[children[1].name][0]} 行学号重复" in repeat[5]
    confirm(browser, page)
    assert "王小明" not in kept_children(central, new_school.id)


def test_new_classes_are_made_only_when_ticked(central: Central, new_school: OfficeSchool, client) -> None:
    browser = client(new_school.admin)
    children = pupils(10, seed=4)
    page = upload(browser, new_school, "花名册.xlsx", township_form(children))
    done = confirm(browser, page, new_class=["一年级(1)班", "三年级(1)班"])
    assert class_names(central, new_school).keys() == {"一年级(1)班", "三年级(1)班"}
    kept = kept_children(central, new_school.id)
    assert {k.child.class_name for k in kept.values()} == {"一年级(1)班", "三年级(1)班"}
    left_out = [p.name for p in children if p.class_name not in ("一年级(1)班", "三年级(1)班")]
    assert left_out and not set(left_out) & set(kept)
    assert "未导入" in done.text  # the clerk is told rows were left out with their classes


def test_a_fact_the_file_does_not_give_is_unknown_and_shown_as_such(
    central: Central, new_school: OfficeSchool, client
) -> None:
    browser = client(new_school.admin)
    children = [p for p in pupils(20, seed=2) if p.away != "both"][:2]
    confirm(browser, upload(browser, new_school, "花名册.xlsx", township_form(children)))
    kept = kept_children(central, new_school.id)[children[0].name].child
    assert kept.home_parent_unable is None
    page = browser.get(f"{new_school.base}/children/{kept.id}")
    facts = {row[0]: row[1] for row in page.table("facts")}
    assert facts["在家一方无监护能力"] == "未填"


def test_the_guardian_type_comes_from_the_column_when_there_is_one(
    central: Central, new_school: OfficeSchool, client
) -> None:
    """A 监护类型 column wins over what the relation would suggest (an orphan living with the
    grandmother is 单亲或孤儿); an empty cell with no guardian named stays unknown."""
    browser = client(new_school.admin)
    first, second = pupils(2, seed=8)
    first = with_changes(
        first, away="both", guardian=("张秀珍", "外婆", "13800001234"), written_kind="单亲或孤儿"
    )
    second = with_changes(second, away="both", guardian=("", "", ""), written_kind="")
    content = two_row_headings([first, second])
    page = upload(browser, new_school, "登记表.xlsx", content)
    confirm(browser, page)
    kept = kept_children(central, new_school.id)
    assert kept[first.name].child.guardian_type is GuardianType.SINGLE_PARENT_OR_ORPHAN
    assert kept[second.name].child.guardian_type is None


def test_the_imported_children_reach_a_kiosk_unknown_facts_and_all(
    central: Central, new_school: OfficeSchool, client, new_kiosk, server
) -> None:
    """A real kiosk (SyncClient, its own SQLite file) pulls the children of the school's own roster —
    one whose guardian type nobody gave among them — with the people each may call."""
    from sqlalchemy import select

    from db.models import Child, Contact

    browser = client(new_school.admin)
    children = pupils(6, seed=61)
    unknown = with_changes(children[0], away="both", guardian=("", "", ""), written_kind="")
    confirm(browser, upload(browser, new_school, "登记表.xlsx", two_row_headings([unknown, *children[1:]])))
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(new_school.ref))
    with kiosk.uow.read() as session:
        on_kiosk = {c.name: c for c in session.scalars(select(Child))}
        assert set(on_kiosk) == {p.name for p in children}
        assert on_kiosk[unknown.name].guardian_type is None
        grandchild = next(
            p
            for p in children[1:]
            if p.relation in ("祖父", "祖母", "外祖父", "外祖母", "外公", "外婆", "爷爷", "奶奶")
        )
        callees = {
            (c.relation.value, c.name)
            for c in session.scalars(select(Contact).where(Contact.child_id == on_kiosk[grandchild.name].id))
        }
    assert ("grandparent", grandchild.guardian[0]) in callees
