"""The school administrator's own pages: colleagues' accounts, the school's rules, classes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.enums import ContactCadence
from kiosk.services import signin, staff
from kiosk.services.errors import SetBySchool
from kiosk.services.room_settings_changes import change_setting, current_settings
from sync.server.models import CentralStaff, OfficeUser, School, SchoolClass
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.officeclient import OfficeClient


def test_an_administrator_adds_a_colleague_who_signs_in_with_the_password_shown_once(
    central: Central, office_school: OfficeSchool, client, server
) -> None:
    admin = client(office_school.admin)
    page = admin.post(
        f"{office_school.base}/users",
        {"username": "Li.Ming", "display_name": "李明", "role": "school_staff"},
    )
    password = re.search(r"data-password>([^<]+)<", page.text).group(1).strip()
    assert len(password) >= 10
    again = admin.get(f"{office_school.base}/users")
    assert password not in again.text  # shown once
    colleague = OfficeClient(server.url)
    colleague.login("li.ming", password)  # names are not case-sensitive
    own = "白日依山尽-黄河入海流"
    colleague.post(
        "/office/account/password", {"old_password": password, "new_password": own, "repeat_password": own}
    )  # the temporary password is for this only
    assert colleague.get(f"{office_school.base}/reports/contact").status == 200
    assert colleague.get(f"{office_school.base}/children").status == 403
    with central.db.reads() as session:
        user = session.scalars(select(OfficeUser).where(OfficeUser.username == "li.ming")).one()
    admin.post(f"{office_school.base}/users/{user.id}", {"action": "children_on"})
    assert colleague.get(f"{office_school.base}/children").status == 200
    admin.post(f"{office_school.base}/users/{user.id}", {"action": "disable"})
    assert "/office/login" in colleague.get(f"{office_school.base}/").url  # signed out at once
    duplicate = admin.post(
        f"{office_school.base}/users",
        {"username": "li.ming", "display_name": "又一个", "role": "school_staff"},
    )
    assert duplicate.status == 400 and "这个用户名已经有人用了" in duplicate.text


def test_an_administrator_cannot_lock_themselves_out(
    central: Central, office_school: OfficeSchool, client
) -> None:
    admin = client(office_school.admin)
    refused = admin.post(f"{office_school.base}/users/{office_school.admin.id}", {"action": "disable"})
    assert refused.status == 400
    with central.db.reads() as session:
        assert session.get(OfficeUser, office_school.admin.id).active


def test_the_school_rules_are_checked_and_change_the_reports(
    central: Central, office_school: OfficeSchool, client
) -> None:
    admin = client(office_school.admin)
    form = {
        "contact_cadence": "weekly", "min_open_minutes_per_day": "-5", "spring_semester_starts": "02-30",
        "autumn_semester_starts": "09-01", "retention_years": "3", "timezone": "Asia/Shanghai",
        "age_cutoff": "", "pupils_total": "",
    }  # fmt: skip
    bad = admin.post(f"{office_school.base}/settings", form)
    assert bad.status == 400 and "请检查标出的内容" in bad.text
    form |= {"min_open_minutes_per_day": "90", "spring_semester_starts": "02-20", "retention_years": "5"}
    good = admin.post(f"{office_school.base}/settings", form | {"age_cutoff": "08-31", "pupils_total": "314"})
    assert good.status == 200 and "已保存" in good.text
    with central.db.reads() as session:
        stored = session.get(School, office_school.id).settings
    assert stored["contact_cadence"] == "weekly" and stored["pupils_total"] == 314
    statistics = admin.get(f"{office_school.base}/reports/statistics")
    assert "留守儿童占全校学生" in statistics.text and "计算日 2026-08-31" in statistics.text
    contact = admin.get(f"{office_school.base}/reports/contact")
    assert "每 7 天至少联系一次" in contact.text
    assert "2026年秋季学期" in admin.get(f"{office_school.base}/reports").text


def test_classes_are_added_and_a_class_with_children_is_not_retired(
    central: Central, office_school: OfficeSchool, client
) -> None:
    admin = client(office_school.admin)
    page = admin.post(f"{office_school.base}/classes", {"name": "七年级(1)班", "grade": "7"})
    assert "七年级(1)班" in page.text
    again = admin.post(f"{office_school.base}/classes", {"name": "七年级(1)班", "grade": "7"})
    assert "已经有这个班级" in again.text
    rows = admin.get(f"{office_school.base}/classes").table("table1")
    busy = next(r[0] for r in rows[1:] if r[2] != "0")
    with central.db.reads() as session:
        ids = dict(
            session.execute(
                select(SchoolClass.name, SchoolClass.id).where(SchoolClass.school_id == office_school.id)
            ).all()
        )
    refused = admin.post(f"{office_school.base}/classes/{ids[busy]}/retire")
    assert "班里还有在校的孩子" in refused.text
    admin.post(f"{office_school.base}/classes/{ids['七年级(1)班']}/retire")
    retired = admin.get(f"{office_school.base}/classes").table("table1")
    assert any(r[0] == "七年级(1)班 已撤销" for r in retired)


def test_a_duty_teacher_made_in_the_office_opens_the_kiosks_administrator_mode(
    central: Central, office_school: OfficeSchool, new_kiosk, server, client
) -> None:
    admin = client(office_school.admin)
    too_easy = admin.post(
        f"{office_school.base}/staff",
        {"name": "赵老师", "role": "duty_teacher", "pin": "123456", "pin_again": "123456"},
    )
    assert too_easy.status == 400 and "密码太容易猜" in too_easy.text
    admin.post(
        f"{office_school.base}/staff",
        {"name": "赵老师", "role": "duty_teacher", "pin": "385916", "pin_again": "385916"},
    )
    with central.db.reads() as session:
        teacher = session.scalars(
            select(CentralStaff).where(
                CentralStaff.school_id == office_school.id, CentralStaff.name == "赵老师"
            )
        ).one()
    assert "385916" not in teacher.pin_hash
    admin.post(f"{office_school.base}/staff/{teacher.id}", {"action": "card", "uid": "0a 1b 2c 3d"})
    kiosk = new_kiosk("room")
    kiosk.enrol(server.url, central.code(office_school.ref))
    tapped = signin.tap_card(kiosk.uow, "0A1B2C3D")
    assert isinstance(tapped, signin.StaffCardTapped)
    assert staff.verify_staff_pin(kiosk.uow, teacher.id, "385916").name == "赵老师"

    admin.post(f"{office_school.base}/staff/{teacher.id}", {"action": "disable"})
    kiosk.sync()
    assert isinstance(signin.tap_card(kiosk.uow, "0A1B2C3D"), signin.InactiveCardTapped)


def test_the_school_rules_reach_its_kiosks_which_then_do_not_change_them(
    central: Central, office_school: OfficeSchool, new_kiosk, server, client
) -> None:
    kiosk = new_kiosk("room")
    kiosk.enrol(server.url, central.code(office_school.ref))
    change_setting(kiosk.uow, "contact_cadence", "biweekly")  # before the office says anything: the room's
    assert current_settings(kiosk.uow).set_by_school == frozenset()

    admin = client(office_school.admin)
    form = {
        "contact_cadence": "weekly", "min_open_minutes_per_day": "90", "spring_semester_starts": "03-01",
        "autumn_semester_starts": "09-01", "retention_years": "3", "timezone": "Asia/Urumqi",
        "age_cutoff": "", "pupils_total": "",
    }  # fmt: skip
    assert admin.post(f"{office_school.base}/settings", form).status == 200
    kiosk.sync()
    followed = current_settings(kiosk.uow)
    assert followed.contact_cadence is ContactCadence.WEEKLY
    assert (followed.timezone, followed.min_open_minutes_per_day) == ("Asia/Urumqi", 90)
    assert followed.set_by_school == {"contact_cadence", "timezone", "min_open_minutes_per_day"}
    with pytest.raises(SetBySchool):
        change_setting(kiosk.uow, "contact_cadence", "monthly")
    assert current_settings(kiosk.uow).contact_cadence is ContactCadence.WEEKLY
    assert change_setting(kiosk.uow, "call_time_limit_minutes", 15).call_time_limit_minutes == 15

    admin.post(f"{office_school.base}/settings", form | {"contact_cadence": "monthly"})
    kiosk.sync()
    assert current_settings(kiosk.uow).contact_cadence is ContactCadence.MONTHLY
    kiosk.sync()  # nothing new: the rules are not sent again
    assert current_settings(kiosk.uow).call_time_limit_minutes == 15


def test_the_audit_log_says_what_happened_in_words(office_school: OfficeSchool, client) -> None:
    admin = client(office_school.admin)
    register = admin.download(
        f"{office_school.base}/reports/register/export", format="csv", period="semester:2026-autumn"
    )
    assert register.status_code == 200
    admin.post(f"{office_school.base}/classes", {"name": "七年级(3)班", "grade": "7"})
    log = admin.get(f"{office_school.base}/audit")
    rows = {row[2]: row for row in log.table("audit")[1:]}
    assert rows["导出"][3] == "报表《电话、视频使用登记》"  # not "报表 register"
    assert rows["导出"][4] == "时期 2026年秋季学期；格式 CSV；含个人信息 是"  # not period=semester:…
    assert rows["添加班级"][3] == "班级 七年级(3)班"  # the class by name, not its id
    only_exports = admin.get(f"{office_school.base}/audit", action="export")
    assert {row[2] for row in only_exports.table("audit")[1:]} == {"导出"}
    assert '<option value="export" selected>导出</option>' in only_exports.text


def test_a_temporary_password_opens_only_the_page_to_choose_ones_own(
    central: Central, office_school: OfficeSchool, client, server
) -> None:
    admin = client(office_school.admin)
    admin.get(f"{office_school.base}/users")
    made = admin.post(
        f"{office_school.base}/users",
        {"username": "zhao-temp", "display_name": "赵老师", "role": "school_staff"},
    )
    temporary = re.search(r"data-password>([^<]+)<", made.text).group(1)
    assert "第一次登录时必须先设置自己的密码" in made.text

    colleague = OfficeClient(server.url)
    first = colleague.login("zhao-temp", temporary)
    assert first.url.endswith("/office/account") and "data-must-change" in first.text
    reports = colleague.get(f"{office_school.base}/reports")  # any other page leads back there
    assert reports.url.endswith("/office/account") and "请先设置自己的密码" in reports.text
    changed = colleague.post(
        "/office/account/password",
        {
            "old_password": temporary,
            "new_password": "春眠不觉晓-处处闻啼鸟",
            "repeat_password": "春眠不觉晓-处处闻啼鸟",
        },
    )
    assert changed.status == 200 and "data-must-change" not in changed.text
    assert colleague.get(f"{office_school.base}/reports").url.endswith("/reports")

    with central.db.reads() as session:
        user_id = session.scalar(select(OfficeUser.id).where(OfficeUser.username == "zhao-temp"))
    admin.get(f"{office_school.base}/users")
    reset = admin.post(f"{office_school.base}/users/{user_id}", {"action": "reset"})
    again = re.search(r"data-password>([^<]+)<", reset.text).group(1)
    assert OfficeClient(server.url).login("zhao-temp", again).url.endswith("/office/account")
