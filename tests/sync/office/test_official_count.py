"""The official count (农村留守儿童, 国家统计口径): under 16 on the form's cut-off day, and both parents away
or one away and the other unable to care. Each rule is tested where it decides — a 16th birthday the
day before, on, and the day after the cut-off; one parent away with the other able or unable; a fact
未填 that matters and one that does not — first on the rule itself, then through the 统计表 a school
downloads, its headline, its wider-group table and the county overview."""

from __future__ import annotations

import uuid
from datetime import date

from db.enums import GuardianType
from sync.server.models import CareAssessment, Gender, OfficeRole, School
from sync.server.office import schools
from sync.server.office.roster.children import ChildDetails, create_child
from sync.server.reports.basis import RosterChild
from sync.server.reports.official import Missing, Standing, WiderReason, missing_facts, standing, wider_reason
from tests.sync.conftest import Central
from tests.sync.office.conftest import add_user
from tests.sync.office.workbooks import assert_reconciles, table

CUTOFF = date(2026, 9, 1)  # the school's setting 09-01, in the autumn semester of 2026


def child(
    birthday: date | None = date(2016, 5, 4),
    father: bool | None = True,
    mother: bool | None = True,
    home_parent_unable: bool | None = False,
) -> RosterChild:
    return RosterChild(
        uuid.uuid4(), "王𠈌", None, "三年级(1)班", 3, GuardianType.GRANDPARENTS, Gender.MALE, birthday,
        father, mother, home_parent_unable, None, None, None,
    )  # fmt: skip


def test_sixteen_the_day_before_the_cut_off_is_not_counted_the_day_after_is() -> None:
    assert standing(child(date(2010, 8, 31)), CUTOFF) is Standing.WIDER  # 16 on 2026-08-31
    assert standing(child(date(2010, 9, 1)), CUTOFF) is Standing.WIDER  # 16 on the cut-off day itself
    assert standing(child(date(2010, 9, 2)), CUTOFF) is Standing.OFFICIAL  # still 15 on the cut-off day
    assert wider_reason(child(date(2010, 8, 31)), CUTOFF) is WiderReason.AGED_SIXTEEN


def test_a_birthday_on_the_29th_of_february() -> None:
    leap = child(date(2008, 2, 29))  # 16 on 2024-03-01 by the usual reckoning, 18 at this cut-off
    assert standing(leap, CUTOFF) is Standing.WIDER
    assert standing(child(date(2012, 2, 29)), date(2028, 2, 28)) is Standing.OFFICIAL  # 15 until 02-29


def test_which_parents_are_away_and_whether_the_one_at_home_can_care() -> None:
    assert standing(child(father=True, mother=True), CUTOFF) is Standing.OFFICIAL
    assert standing(child(father=True, mother=False, home_parent_unable=True), CUTOFF) is Standing.OFFICIAL
    assert standing(child(father=False, mother=True, home_parent_unable=True), CUTOFF) is Standing.OFFICIAL
    able = child(father=True, mother=False, home_parent_unable=False)
    assert standing(able, CUTOFF) is Standing.WIDER  # the room serves him; the bureau's figure does not
    assert wider_reason(able, CUTOFF) is WiderReason.HOME_PARENT_ABLE
    home = child(father=False, mother=False)
    assert standing(home, CUTOFF) is Standing.WIDER and wider_reason(home, CUTOFF) is WiderReason.NEITHER_AWAY


def test_a_fact_not_recorded_leaves_the_child_undecided_only_where_it_decides() -> None:
    no_birthday = child(birthday=None)
    assert standing(no_birthday, CUTOFF) is Standing.UNKNOWN
    assert missing_facts(no_birthday, CUTOFF) == [Missing.BIRTHDAY]
    able_unknown = child(father=True, mother=False, home_parent_unable=None)
    assert standing(able_unknown, CUTOFF) is Standing.UNKNOWN  # never silently "able"
    assert missing_facts(able_unknown, CUTOFF) == [Missing.HOME_PARENT_UNABLE]
    nothing = child(father=None, mother=None, home_parent_unable=None)
    assert missing_facts(nothing, CUTOFF) == [
        Missing.FATHER_AWAY,
        Missing.MOTHER_AWAY,
        Missing.HOME_PARENT_UNABLE,
    ]
    # What cannot change the answer is not asked for: both away, the one at home is beside the point;
    # a child of seventeen is not counted whatever the roster says of the parents.
    assert standing(child(home_parent_unable=None), CUTOFF) is Standing.OFFICIAL
    seventeen = child(date(2009, 3, 3), father=None, mother=None, home_parent_unable=None)
    assert standing(seventeen, CUTOFF) is Standing.WIDER and missing_facts(seventeen, CUTOFF) == []
    # Father away, mother unknown but unable if at home: counted either way.
    assert standing(child(father=True, mother=None, home_parent_unable=True), CUTOFF) is Standing.OFFICIAL


CLASS_A, CLASS_B = "初三(1)班", "二年级(2)班"
# name, class, birthday, father away, mother away, the one at home unable, gender, care
PUPILS = [
    ("李十五", CLASS_A, date(2010, 9, 2), True, True, False, Gender.MALE, CareAssessment.GOOD),
    ("赵十六", CLASS_A, date(2010, 8, 31), True, True, False, Gender.FEMALE, CareAssessment.FAIR),
    ("钱十七", CLASS_A, date(2009, 6, 1), True, True, False, Gender.MALE, None),
    ("孙单方", CLASS_B, date(2018, 4, 1), True, False, True, Gender.FEMALE, CareAssessment.POOR),
    ("周能管", CLASS_B, date(2018, 5, 1), False, True, False, Gender.MALE, CareAssessment.GOOD),
    ("吴双外", CLASS_B, date(2018, 6, 1), True, True, False, None, CareAssessment.GOOD),
    ("郑回家", CLASS_B, date(2018, 7, 1), False, False, False, Gender.FEMALE, None),
]


def test_the_statistics_form_counts_the_official_children_first(central: Central, client) -> None:
    ref = central.new_school("青山中学", demo=False)
    with central.edit() as session:
        school = session.get(School, ref.id)
        school.settings = {**(school.settings or {}), "age_cutoff": "09-01"}
        schools.add_class(session, ref.id, CLASS_A, 9)
        schools.add_class(session, ref.id, CLASS_B, 2)
        for name, klass, birthday, father, mother, unable, gender, care in PUPILS:
            details = ChildDetails(
                name, None, klass, gender, birthday, GuardianType.GRANDPARENTS, father, mother, unable, care
            )
            create_child(session, ref.id, details, date(2026, 9, 1))
        county = schools.create_county(session, "青山县教育局")
        school.county_id = county.id
        county_id = county.id
    admin = client(add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    response = admin.download(
        f"/office/s/{ref.id}/reports/statistics/export", format="xlsx", period="semester:2026-autumn"
    )
    assert response.status_code == 200
    content = response.content

    summary = {r[0]: r[1] for r in table(content, "总体情况", total_label=None).rows}
    counted = ["李十五", "孙单方", "吴双外"]  # 15 on the cut-off day, one away and the other unable, both
    assert summary["农村留守儿童（国家统计口径）"] == len(counted)
    assert summary["本期在册留守儿童"] == len(PUPILS)
    assert summary["其中不在国家口径内（活动室服务的其他儿童）"] == 4
    assert summary["其中信息未填、暂不能归类"] == 0
    for title in ("按班级", "按监护类型", "按父母外出情况", "按性别", "按年龄", "按监护情况评估"):
        sheet = table(content, title)
        if title == "按班级":
            assert_reconciles(sheet, len(PUPILS), "在册人数")
            assert [r[0] for r in sheet.rows] == [CLASS_B, CLASS_A]  # 二年级 before 初三
        else:
            assert_reconciles(sheet, len(counted))
    by_age = table(content, "按年龄")
    assert by_age.total[by_age.column("人数", "14-15岁")] == 1  # 李十五, the day after
    assert "16+" not in " ".join(str(g) for g in by_age.groups)  # the official count has none
    by_away = table(content, "按父母外出情况")
    assert by_away.total[by_away.column("人数", "父母均外出")] == 2
    assert by_away.total[by_away.column("人数", "父亲外出、母亲无监护能力")] == 1
    by_gender = table(content, "按性别")
    assert by_gender.total[by_gender.column("人数", "未填")] == 1  # 吴双外's gender is not on the roster
    wider = table(content, "活动室服务的其他儿童")
    assert_reconciles(wider, 4)
    assert wider.total[wider.column("人数", "已满十六周岁")] == 2  # 赵十六 (the day before) and 钱十七
    assert wider.total[wider.column("人数", "一方外出、另一方能监护")] == 1  # 周能管
    assert wider.total[wider.column("人数", "父母均未外出")] == 1  # 郑回家

    page = admin.get(f"/office/s/{ref.id}/reports/statistics", period="semester:2026-autumn")
    assert "在计算日 2026-09-01 不满十六周岁" in page.text.split("<table", 1)[0]  # the definition, on top

    bureau = client(add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id))
    overview = table(
        bureau.download("/office/county/export", format="xlsx", period="semester:2026-autumn").content,
        "各校情况",
    )
    ours = next(r for r in overview.rows if r[0] == "青山中学")
    assert ours[overview.column("在册留守儿童")] == len(PUPILS)
    assert ours[overview.column("其中国家口径")] == len(counted)
