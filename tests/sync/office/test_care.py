"""The care network on the real server, through its pages as each role uses them: a teacher sees the
children paired with them (and their class as 班主任) and no other; records a 谈心, a 家访 with a
phone's photo (stored without EXIF, checked in its bytes) and a family contact; corrects within seven
days and is refused after; counselling content is for counsellors only, others learn only that it
exists and when, the bureau only counts; another school's user finds nothing; the teacher table counts
and exports as a signed form; erasure blanks what the records said."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests
from openpyxl import load_workbook
from sqlalchemy import select, update

from sync.server.models import (
    AuditEntry,
    CarePair,
    CarePhoto,
    CareRecord,
    CentralChild,
    CounsellingRecord,
    OfficeRole,
    OfficeUser,
    School,
)
from sync.server.office import schools
from tests.sync.conftest import Central
from tests.sync.office.carefiles import assert_no_camera_data, phone_photo
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.conftest import OfficeUser as Account
from tests.sync.office.school_day import school_today
from tests.sync.rawapi import enrol_raw

SECRET = "咨询内容-只给心理老师看-7Q"
VISIT_SAID = "奶奶说孩子最近晚上按时写作业"


@dataclass
class CareSchool:
    school: OfficeSchool
    teacher: Account
    other_teacher: Account
    counsellor: Account
    own_child: CentralChild  # paired with `teacher`
    class_name: str  # `teacher` is its 班主任
    class_child: CentralChild  # in that class, no pair of their own
    elsewhere: CentralChild  # paired with `other_teacher`, in another class
    unpaired: CentralChild


def _children(central: Central, school_id: uuid.UUID) -> list[CentralChild]:
    with central.db.reads() as session:
        return list(
            session.scalars(
                select(CentralChild).where(CentralChild.school_id == school_id, CentralChild.active.is_(True))
            )
        )


@pytest.fixture
def care_school(central: Central, office_school: OfficeSchool, client) -> CareSchool:
    teacher = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    other = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    counsellor = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=office_school.id)
    children = _children(central, office_school.id)
    classes = sorted({c.class_name for c in children})
    klass, other_class = classes[0], classes[1]
    in_class = [c for c in children if c.class_name == klass]
    in_other = [c for c in children if c.class_name == other_class]
    admin = client(office_school.admin)
    base = office_school.base
    admin.get(f"{base}/care/pairs")
    today = school_today().isoformat()
    for teacher_user, child in ((teacher, in_other[0]), (other, in_other[1])):
        answer = admin.post(
            f"{base}/care/pairs/child",
            {"teacher_id": str(teacher_user.id), "child_id": str(child.id), "starts_on": today},
        )
        assert answer.status == 200 and "已结对" in answer.text, answer.text[:400]
    answer = admin.post(
        f"{base}/care/pairs/class", {"teacher_id": str(teacher.id), "class_name": klass, "starts_on": today}
    )
    assert "已结对" in answer.text
    admin.get(f"{base}/users")
    admin.post(f"{base}/users/{counsellor.id}", {"action": "counsellor_on"})
    unpaired = next(
        c for c in children if c.class_name not in (klass,) and c.id not in (in_other[0].id, in_other[1].id)
    )
    return CareSchool(
        office_school, teacher, other, counsellor, in_other[0], klass, in_class[0], in_other[1], unpaired
    )


def test_a_teacher_sees_only_their_children_and_their_class(
    central: Central, care_school: CareSchool, client
) -> None:
    s = care_school
    base = s.school.base
    teacher = client(s.teacher)
    mine = teacher.get(f"{base}/care")
    assert mine.status == 200
    assert s.own_child.name in mine.text and s.class_child.name in mine.text
    assert s.elsewhere.name not in mine.text and s.unpaired.name not in mine.text
    assert teacher.get(f"{base}/care/children/{s.own_child.id}").status == 200
    assert teacher.get(f"{base}/care/children/{s.class_child.id}").status == 200
    for stranger in (s.elsewhere, s.unpaired):
        page = teacher.get(f"{base}/care/children/{stranger.id}")
        assert page.status == 404 and stranger.name not in page.text
        assert teacher.get(f"{base}/care/children/{stranger.id}/new/talk").status == 404
    school_wide = teacher.get(f"{base}/children/{s.own_child.id}")
    assert school_wide.status == 403  # the school's children's records: not a teacher's
    for admin_only in ("/care/pairs", "/care/teachers", "/care/overdue", f"/care/teachers/{s.teacher.id}"):
        assert teacher.get(base + admin_only).status == 403, admin_only

    # The administrator sees every child's care page; the list of unpaired children names the rest.
    admin = client(s.school.admin)
    assert admin.get(f"{base}/care/children/{s.unpaired.id}").status == 200
    unpaired = [
        r[1]
        for klass in (s.unpaired.class_name, s.own_child.class_name, s.class_name)
        for r in admin.get(f"{base}/care/pairs", klass=klass).table("unpaired")
    ]
    assert s.unpaired.name in unpaired
    assert s.own_child.name not in unpaired and s.class_child.name not in unpaired

    # Another school's administrator: not found, whatever id.
    other_school = central.new_school("别的小学")
    stranger = client(add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=other_school.id))
    for path in (
        "/care",
        f"/care/children/{s.own_child.id}",
        "/care/pairs",
        "/care/teachers",
        "/care/overdue",
        "/counselling",
        "/news",
    ):
        assert stranger.get(base + path).status == 404, path
    assert stranger.get(f"/office/s/{other_school.id}/care/children/{s.own_child.id}").status == 404

    # Paired three weeks ago and nothing recorded since: the class's children are overdue, under
    # their 班主任's name, and the teacher's phone says so.
    with central.edit() as session:
        session.execute(
            update(CarePair)
            .where(CarePair.school_id == s.school.id)
            .values(starts_on=school_today() - timedelta(days=21))
        )
    late = {r[1]: r for r in admin.get(f"{base}/care/overdue").table("overdue_children")[1:]}
    teacher_name = _display_name(central, s.teacher.id)
    assert late[s.class_child.name][2] == teacher_name and "谈心" in late[s.class_child.name][3]
    assert s.unpaired.name not in late  # nobody's: listed among the unpaired, not as anyone's overdue
    assert "谈心已逾期" in teacher.get(f"{base}/care").text


def test_records_photos_and_the_seven_day_correction(
    central: Central, care_school: CareSchool, client
) -> None:
    s = care_school
    base = s.school.base
    teacher = client(s.teacher)
    teacher.get(f"{base}/care/children/{s.own_child.id}/new/talk")
    talk = teacher.post(
        f"{base}/care/children/{s.own_child.id}/new/talk",
        {
            "topics": ["study", "feelings"],
            "minutes": "20",
            "notes": "谈到期中考试",
            "on_day": school_today().isoformat(),
        },
    )
    assert talk.status == 200 and "谈心记录已保存" in talk.text
    refused = teacher.post(f"{base}/care/children/{s.own_child.id}/new/talk", {"minutes": "20"})
    assert refused.status == 400 and "请至少选一个谈心主题" in refused.text
    future = teacher.post(
        f"{base}/care/children/{s.own_child.id}/new/contact",
        {"party": "mother", "channel": "video", "on_day": (school_today() + timedelta(days=2)).isoformat()},
    )
    assert future.status == 400 and "日期不能晚于今天" in future.text

    raw = phone_photo()
    teacher.get(f"{base}/care/children/{s.own_child.id}/new/visit")
    visit = teacher.post(
        f"{base}/care/children/{s.own_child.id}/new/visit",
        {"met": "奶奶", "notes": VISIT_SAID, "csrf_token": teacher.csrf},
        csrf=None,
        files=[("photos", ("IMG_20261120_163000.jpg", raw, "image/jpeg"))],
    )
    assert visit.status == 200 and "家访记录已保存" in visit.text, visit.text[:300]
    not_a_photo = teacher.post(
        f"{base}/care/children/{s.own_child.id}/new/visit",
        {"met": "奶奶", "notes": "x", "csrf_token": teacher.csrf},
        csrf=None,
        files=[("photos", ("roster.jpg", b"\x00" * 300, "image/jpeg"))],
    )
    assert not_a_photo.status == 400 and "这个文件不是照片" in not_a_photo.text
    with central.db.reads() as session:
        record = session.scalar(
            select(CareRecord).where(CareRecord.child_id == s.own_child.id, CareRecord.kind == "visit")
        )
        stored = session.scalars(select(CarePhoto).where(CarePhoto.record_id == record.id)).all()
    assert len(stored) == 1 and max(stored[0].width, stored[0].height) == 1600
    assert stored[0].width > stored[0].height  # turned upright by its Orientation tag before it went
    assert_no_camera_data(stored[0].jpeg)
    served = teacher.http.get(f"{teacher.base}{base}/care/photos/{stored[0].id}", timeout=10)
    assert served.status_code == 200 and served.content == stored[0].jpeg
    assert "no-store" in served.headers["cache-control"]
    other = client(s.other_teacher)
    assert other.get(f"{base}/care/photos/{stored[0].id}").status == 404

    # The author corrects within seven days; the change is audited with the fields it changed.
    teacher.get(f"{base}/care/records/{record.id}")
    fixed = teacher.post(f"{base}/care/records/{record.id}", {"met": "奶奶、爷爷", "notes": VISIT_SAID})
    assert "更正已保存" in fixed.text
    assert other.get(f"{base}/care/records/{record.id}").status == 404  # not the author
    with central.db.reads() as session:
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "care_record_corrected", AuditEntry.school_id == s.school.id
            )
        )
    assert entry.detail["fields"] == ["met"] and entry.detail["record"] == str(record.id)
    with central.edit() as session:
        session.execute(
            update(CareRecord)
            .where(CareRecord.id == record.id)
            .values(created_at=record.created_at - timedelta(days=8))
        )
    assert teacher.get(f"{base}/care/records/{record.id}").status == 403
    late = teacher.post(f"{base}/care/records/{record.id}", {"met": "改了", "notes": VISIT_SAID})
    assert late.status == 403 and "锁定" in late.text
    page = teacher.get(f"{base}/care/children/{s.own_child.id}")
    assert "已超过 7 天，记录已锁定" in page.text and "奶奶、爷爷" in page.text

    # The table per teacher counts it, and exports as a form to sign.
    admin = client(s.school.admin)
    rows = {r[0]: r for r in admin.get(f"{base}/care/teachers").table("teachers")}
    name = _display_name(central, s.teacher.id)
    assert rows[name][2] == "1" and rows[name][5] == "1"  # one talk, one visit
    xlsx = admin.download(f"{base}/care/teachers/export", format="xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert (
        cells[0] == "帮扶工作统计表"
        and any(c.startswith("填表人") for c in cells)
        and any("单位（盖章）" in c for c in cells)
    )
    assert name in cells

    # The semester archive: the teacher table, the class's 成长记录 with the child's sheet, the news.
    files = archive_texts(admin.download(f"{base}/archive", period="").content)
    growth = next(
        text for path, text in files.items() if "成长记录" in path and s.own_child.class_name in path
    )
    assert s.own_child.name in growth and "奶奶、爷爷" in growth and "学习、情绪" in growth
    assert any(path.endswith("帮扶工作统计表.xlsx") for path in files)


def archive_texts(content: bytes) -> dict[str, str]:
    """Every file of a ZIP as text: a workbook's cells (every sheet), other files as they are."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".xlsx"):
                book = load_workbook(io.BytesIO(data))
                data = "\n".join(
                    str(c.value)
                    for sheet in book
                    for row in sheet.iter_rows()
                    for c in row
                    if c.value is not None
                )
            found[name] = data if isinstance(data, str) else data.decode("latin-1")
    return found


def _display_name(central: Central, user_id: uuid.UUID) -> str:
    with central.db.reads() as session:
        return session.get(OfficeUser, user_id).display_name


def test_counselling_content_only_for_counsellors_and_the_bureau_only_counts(
    central: Central, care_school: CareSchool, client, server
) -> None:
    s = care_school
    base = s.school.base
    counsellor = client(s.counsellor)
    listing = counsellor.get(f"{base}/counselling")
    assert listing.status == 200
    saved = counsellor.post(
        f"{base}/counselling",
        {"child_id": str(s.own_child.id), "minutes": "40", "content": SECRET, "follow_up": "下周再约"},
    )
    assert saved.status == 200 and SECRET in saved.text
    with central.db.reads() as session:
        record = session.scalar(select(CounsellingRecord).where(CounsellingRecord.school_id == s.school.id))

    admin = client(s.school.admin)
    overview = admin.get(f"{base}/counselling")
    assert overview.status == 200 and SECRET not in overview.text and s.own_child.name not in overview.text
    assert overview.table("counselling_days")[1][1] == "1"
    assert admin.get(f"{base}/counselling/{record.id}").status == 403
    teacher = client(s.teacher)
    page = teacher.get(f"{base}/care/children/{s.own_child.id}")
    assert "有 1 次心理咨询记录" in page.text and SECRET not in page.text
    assert teacher.get(f"{base}/counselling").status == 403
    assert teacher.get(f"{base}/counselling/{record.id}").status == 403

    # The bureau: per school and month, a count; no name, no content; the school's pages refuse it.
    with central.edit() as session:
        county = schools.create_county(session, "关爱区教育局")
        session.get(School, s.school.id).county_id = county.id
        county_id = county.id
    bureau = client(add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id))
    summary = bureau.get("/office/county/care")
    assert summary.status == 200 and SECRET not in summary.text and s.own_child.name not in summary.text
    row = next(r for r in summary.table("county_counselling") if r[0] == "阳光小学")
    assert row[1].startswith("1（1 人）")
    assert bureau.get(f"{base}/counselling").status == 403
    assert bureau.get(f"{base}/counselling/{record.id}").status == 403
    assert bureau.get(f"{base}/care/children/{s.own_child.id}").status == 403

    # Never on a kiosk: the room's kiosk pulls everything of its school, and none of this.
    kiosk = enrol_raw(server, central, s.school.ref)
    pulled = requests.get(f"{server.url}/v1/sync/changes", headers=kiosk.auth, timeout=30)
    assert pulled.status_code == 200 and s.own_child.name in pulled.text  # the roster did come
    assert SECRET not in pulled.text and "下周再约" not in pulled.text and "counselling" not in pulled.text

    # The semester archive carries no counselling content; every view of it is in the audit log.
    archive = admin.download(f"{base}/archive", period="")
    assert archive.status_code == 200
    files = archive_texts(archive.content)
    assert any("成长记录" in name for name in files) and not any(SECRET in text for text in files.values())
    counsellor.get(f"{base}/counselling/{record.id}")
    with central.db.reads() as session:
        views = session.scalars(
            select(AuditEntry.action).where(AuditEntry.subject == f"counselling:{record.id}")
        ).all()
    assert views.count("view_counselling") == 2 and "counselling_recorded" in views


def test_pairs_refuse_overlaps_and_the_schools_limit(
    central: Central, care_school: CareSchool, client
) -> None:
    s = care_school
    base = s.school.base
    admin = client(s.school.admin)
    admin.get(f"{base}/care/pairs")
    today = school_today()
    again = admin.post(
        f"{base}/care/pairs/child",
        {
            "teacher_id": str(s.other_teacher.id),
            "child_id": str(s.own_child.id),
            "starts_on": today.isoformat(),
        },
    )
    assert again.status == 400 and "已有代理家长" in again.text
    admin.post(f"{base}/care/targets", {"children_per_teacher": "1"})
    full = admin.post(
        f"{base}/care/pairs/child",
        {"teacher_id": str(s.teacher.id), "child_id": str(s.unpaired.id), "starts_on": today.isoformat()},
    )
    assert full.status == 400 and "已达到学校规定的人数" in full.text
    # Ending the own child's pair: from tomorrow the class pair no longer hides them, the child is unpaired.
    with central.db.reads() as session:
        pair = session.scalar(select(CarePair).where(CarePair.child_id == s.own_child.id))
    admin.post(f"{base}/care/pairs/{pair.id}/end", {"last_day": (today - timedelta(days=1)).isoformat()})
    unpaired = [r[1] for r in admin.get(f"{base}/care/pairs", klass=s.own_child.class_name).table("unpaired")]
    assert s.own_child.name in unpaired
    assert client(s.teacher).get(f"{base}/care/children/{s.own_child.id}").status == 404


def test_erasure_blanks_what_the_records_said_and_keeps_the_counts(
    central: Central, care_school: CareSchool, client
) -> None:
    s = care_school
    base = s.school.base
    teacher, counsellor = client(s.teacher), client(s.counsellor)
    teacher.get(f"{base}/care/children/{s.own_child.id}/new/visit")
    teacher.post(
        f"{base}/care/children/{s.own_child.id}/new/visit",
        {"met": "外婆", "notes": VISIT_SAID, "csrf_token": teacher.csrf},
        csrf=None,
        files=[("photos", ("IMG_1.jpg", phone_photo(1200, 900), "image/jpeg"))],
    )
    counsellor.get(f"{base}/counselling")
    counsellor.post(f"{base}/counselling", {"child_id": str(s.own_child.id), "content": SECRET})
    with central.edit() as session:
        child = session.get(CentralChild, s.own_child.id)
        child.active, child.left_on = False, school_today() - timedelta(days=4 * 366)
    admin = client(s.school.admin)
    admin.get(f"{base}/erasure")
    done = admin.post(f"{base}/erasure", {"child_id": str(s.own_child.id), "confirm": "on"})
    assert done.status == 200
    with central.db.reads() as session:
        records = session.scalars(select(CareRecord).where(CareRecord.child_id == s.own_child.id)).all()
        counselled = session.scalars(
            select(CounsellingRecord).where(CounsellingRecord.child_id == s.own_child.id)
        ).all()
        photos = session.scalars(
            select(CarePhoto).where(CarePhoto.record_id.in_([r.id for r in records]))
        ).all()
    assert [(r.kind.value, r.notes, r.met) for r in records] == [("visit", "", None)]  # counted, unsaid
    assert [(c.content, c.follow_up) for c in counselled] == [("", "")] and photos == []
