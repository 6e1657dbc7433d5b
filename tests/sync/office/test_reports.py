"""The school's reports, checked against what the kiosk did: a real kiosk (its own SQLite file, its own
services) lives through some weeks of afternoons, syncs with a real `SyncClient` to the real server, and
every report's figures — read from the XLSX the office downloads — are compared with counts this test
makes itself from the events the server stored (their corrected times, in the school's time zone)."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from sync.server.models import CentralChild, CentralCopy, OfficeRole, ReceivedEvent, School
from sync.server.office import schools
from tests.sync.conftest import Central, Kiosk
from tests.sync.office.conftest import OfficeSchool, a_school_from_last_term, add_user
from tests.sync.office.roomlife import Afternoons, live_until_now
from tests.sync.office.workbooks import assert_reconciles, table

ZONE = ZoneInfo("Asia/Shanghai")
CADENCE_DAYS = 30  # the default: 每月督促孩子与家长通一次话


def day_of(moment: datetime):
    return moment.astimezone(ZONE).date()


class Lived:
    """A school whose kiosk lived some afternoons and synced; the events the server stored."""

    def __init__(self, central: Central, school: OfficeSchool, kiosk: Kiosk, plan: Afternoons) -> None:
        self.central, self.school, self.kiosk, self.plan = central, school, kiosk, plan
        self.events = central.events_of(kiosk.device_id)
        assert self.events and kiosk.pending() == 0
        self.first = min(day_of(e.corrected_at) for e in self.events)
        self.last = max(day_of(e.corrected_at) for e in self.events)
        self.period = f"range:{self.first.isoformat()}..{self.last.isoformat()}"

    def of(self, kind: str) -> list[ReceivedEvent]:
        return [e for e in self.events if e.type == kind]


@pytest.fixture(scope="module")
def lived(central: Central, server, tmp_path_factory) -> Lived:
    """One school, one kiosk, twelve afternoons, synced; shared by the tests of this module."""
    ref = a_school_from_last_term(central, "向阳小学")
    school = OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    kiosk = Kiosk(tmp_path_factory.mktemp("lived") / "kiosk.sqlite3")
    kiosk.enrol(server.url, central.code(ref))
    plan = Afternoons()
    live_until_now(kiosk, plan)
    kiosk.sync()
    yield Lived(central, school, kiosk, plan)
    kiosk.close()


def download(client, lived: Lived, slug: str, period: str | None = None) -> bytes:
    browser = client(lived.school.admin)
    response = browser.download(
        f"{lived.school.base}/reports/{slug}/export", format="xlsx", period=period or lived.period
    )
    assert response.status_code == 200, response.text[:300]
    return response.content


def test_the_statistics_table_reconciles_every_breakdown_with_its_total(lived: Lived, client) -> None:
    content = download(client, lived, "statistics")
    with lived.central.db.reads() as session:
        roster = session.scalars(select(CentralChild).where(CentralChild.school_id == lived.school.id)).all()
    cutoff = lived.first  # the period's first day: the school set no cut-off of its own
    counted = [c for c in roster if officially_counted(c, cutoff)]
    came = len({e.payload["child_id"] for e in lived.of("visit.signed_in")})
    summary = table(content, "总体情况", total_label=None)
    figures = {row[0]: row[1] for row in summary.rows}
    assert figures["本期在册留守儿童"] == len(roster)
    assert figures["农村留守儿童（国家统计口径）"] == len(counted)
    assert 0 < len(counted) < len(roster)  # the demo school has children of the room's wider group too
    assert figures["本期到过活动室"] == came
    wider, unknown = (
        figures["其中不在国家口径内（活动室服务的其他儿童）"],
        figures["其中信息未填、暂不能归类"],
    )
    assert len(counted) + wider + unknown == len(roster)
    by_class = table(content, "按班级")
    assert_reconciles(by_class, len(roster), "在册人数")
    assert by_class.total[by_class.column("人数", "国家口径")] == len(counted)
    assert_reconciles(table(content, "活动室服务的其他儿童"), wider)
    for title in ("按监护类型", "按父母外出情况", "按性别", "按年龄", "按监护情况评估"):
        assert_reconciles(table(content, title), len(counted))
    half = table(content, "期初")
    start, mid, end, joined, left = (half.total[i] for i in range(1, 6))
    assert end == start + joined - left and end == len(counted)
    assert half.print_titles is not None and "$3" in half.print_titles  # the header repeats on each page


def officially_counted(child: CentralChild, cutoff: date) -> bool:
    """The 2016 definition, written out again here: under 16 on the cut-off day, and both parents away
    or one away and the other unable to care."""
    birthday = child.birthday
    assert birthday is not None
    age = cutoff.year - birthday.year - ((cutoff.month, cutoff.day) < (birthday.month, birthday.day))
    one_away = child.father_away != child.mother_away
    return age < 16 and (child.father_away and child.mother_away or one_away and child.home_parent_unable)


def test_family_contact_counts_every_call_video_call_hotline_call_and_letter(lived: Lived, client) -> None:
    content = download(client, lived, "contact")
    started = lived.of("call.started")
    expected = Counter(
        "video"
        if e.payload["kind"] == "video"
        else ("incoming" if e.payload["direction"] == "incoming" else "phone")
        for e in started
    )
    expected["letter"] = len(lived.of("letter.recorded"))
    per_class = table(content, "各班联系情况")
    assert per_class.total[per_class.column("亲情电话")] == expected["phone"]
    assert per_class.total[per_class.column("视频通话")] == expected["video"]
    assert per_class.total[per_class.column("亲情热线打入")] == expected["incoming"]
    assert per_class.total[per_class.column("书信")] == expected["letter"]

    contacted = {e.payload["child_id"] for e in started} | {
        e.payload["child_id"] for e in lived.of("letter.recorded")
    }
    with lived.central.db.reads() as session:
        roster = session.scalar(
            select(func.count()).select_from(CentralChild).where(CentralChild.school_id == lived.school.id)
        )
    # Every contact lies within the last weeks, well inside the school's 30 days: overdue is exactly
    # the children with no contact at all.
    assert max(e.corrected_at for e in lived.events) > datetime.now(UTC) - timedelta(days=CADENCE_DAYS - 5)
    assert per_class.total[per_class.column("在册人数")] == roster
    assert per_class.total[per_class.column("逾期未联系人数")] == roster - len(contacted)
    assert per_class.total[per_class.column("期内有联系")] == len(contacted)
    assert per_class.total[per_class.column("按时联系率")] == pytest.approx(
        round(100 * len(contacted) / roster, 1)
    )

    per_child = table(content, "每个孩子", total_label=None)
    with lived.central.db.reads() as session:
        names = dict(session.execute(select(CentralChild.id, CentralChild.name)).all())
    by_child = defaultdict(list)
    for e in started:
        by_child[names[uuid.UUID(e.payload["child_id"])]].append(e.corrected_at)
    busiest, times = max(by_child.items(), key=lambda item: len(item[1]))
    row = next(r for r in per_child.rows if r[1] == busiest)
    letters_of = sum(
        1 for e in lived.of("letter.recorded") if names[uuid.UUID(e.payload["child_id"])] == busiest
    )
    assert row[per_child.column("联系合计")] == len(times) + letters_of


def test_the_call_register_lists_each_call_as_the_paper_form_does(lived: Lived, client) -> None:
    content = download(client, lived, "register")
    sheet = table(content, "电话", total_label="共")
    assert sheet.labels[:4] == ["通话日期", "通话时间", "班级", "留守儿童姓名"]
    calls = lived.of("call.started")
    assert len(sheet.rows) == len(calls) and sheet.total[0] == f"共 {len(calls)} 次"
    by_day = Counter(day_of(e.corrected_at) for e in calls if e.payload["direction"] == "outgoing")
    listed = Counter(r[0].date() for r in sheet.rows if r[7] == "拨出")
    assert listed == by_day
    assert sheet.orientation == "landscape"


def test_room_use_gives_visits_and_opening_time_per_day_and_marks_short_days(lived: Lived, client) -> None:
    content = download(client, lived, "room")
    sheet = table(content, "每天", total_label=None)
    rows = {r[0].date(): r for r in sheet.rows if hasattr(r[0], "date")}
    visits = Counter(day_of(e.corrected_at) for e in lived.of("visit.signed_in"))
    opened = {e.payload["session_id"]: e.corrected_at for e in lived.of("room.opened")}
    minutes: dict = defaultdict(float)
    for e in lived.of("room.closed"):
        start = opened[e.payload["session_id"]]
        minutes[day_of(start)] += (e.corrected_at - start).total_seconds() / 60
    assert {day: r[4] for day, r in rows.items()} == dict(visits)
    assert {day: r[2] for day, r in rows.items()} == {day: round(m) for day, m in minutes.items()}
    short = {day for day, m in minutes.items() if round(m) < 60}
    assert short == set(lived.plan.short_held) and short
    assert {day for day, r in rows.items() if r[3] == "不足最低时长"} == short
    hours = table(content, "最忙", total_label="合计")
    assert hours.total[1] == sum(visits.values())


def test_lending_counts_loans_damage_compensation_and_the_stocktake(lived: Lived, client) -> None:
    content = download(client, lived, "lending")
    by_kind = table(content, "按类别")
    borrowed = lived.of("loan.borrowed")
    returned = lived.of("loan.returned")
    assert by_kind.total[by_kind.column("借出次数")] == len(borrowed)
    assert by_kind.total[by_kind.column("归还次数")] == len(returned)
    assert by_kind.total[by_kind.column("未还")] == len(lived.plan.loans_open)
    # 损坏公物照价赔偿: every damage record, from a return or entered in the room, with the amount asked
    # (the price, unless another was agreed) and what was paid or waived.
    recorded = lived.of("damage.recorded")
    damaged_returns = [e for e in returned if e.payload["condition"] != "ok"]
    assert len(recorded) == len(damaged_returns) + 3  # three entered by the administrator
    asked = {e.payload["damage_id"]: e.payload["amount_fen"] or 0 for e in recorded}
    for e in lived.of("damage.amount_agreed"):
        asked[e.payload["damage_id"]] = e.payload["amount_fen"]
    settled = {e.payload["damage_id"]: e.payload for e in lived.of("damage.settled")}
    paid = sum(s["amount_fen"] for s in settled.values() if s["settlement"] == "paid")
    damage = table(content, "损坏", total_label="共")
    assert len(damage.rows) == len(recorded) and damage.total[0] == f"共 {len(recorded)} 件"
    assert damage.total[damage.column("应赔(元)")] == pytest.approx(sum(asked.values()) / 100)
    assert damage.total[damage.column("已赔(元)")] == pytest.approx(paid / 100)
    states = Counter(damage.values("处理"))
    assert states["已赔偿"] == sum(1 for s in settled.values() if s["settlement"] == "paid")
    assert states["已免赔"] == sum(1 for s in settled.values() if s["settlement"] == "waived")
    assert states["未处理"] == len(recorded) - len(settled)
    assert paid > 0 and states["已免赔"] > 0 and states["未处理"] > 0  # every kind is there to be counted
    take = lived.of("stocktake.finished")[0].payload
    stocktakes = table(content, "盘点", total_label=None)
    assert stocktakes.rows[0][1:] == [take["scanned_count"], len(take["missing_copy_ids"]), 1]
    differences = table(content, "盘点差异", total_label=None)
    assert ["登记外多出", "TS999999"] in [r[1:3] for r in differences.rows]
    popular = table(content, "借阅排行", total_label=None)
    assert sum(r[3] for r in popular.rows) <= len(borrowed) and popular.rows[0][0] == 1


def test_room_use_lists_every_showing_and_who_watched(lived: Lived, client) -> None:
    content = download(client, lived, "room")
    opened = {e.payload["showing_id"]: e.payload for e in lived.of("showing.opened")}
    joined = Counter(e.payload["showing_id"] for e in lived.of("showing.joined"))
    assert len(opened) == 3 and sum(joined.values()) >= 9
    sheet = table(content, "放映登记", total_label="共")
    assert sheet.total[0] == f"共 {len(opened)} 场"
    assert sorted((r[3], r[4]) for r in sheet.rows) == sorted(
        (payload["content"], joined[showing_id]) for showing_id, payload in opened.items()
    )
    assert sheet.total[sheet.column("观看人数")] == sum(joined.values())
    viewers = table(content, "观看人员", total_label=None)
    assert len(viewers.rows) == sum(joined.values())


def test_emergencies_say_who_was_told_on_time(lived: Lived, client) -> None:
    content = download(client, lived, "incidents")
    opened = lived.of("incident.opened")
    told = {
        (e.payload["incident_id"], e.payload["party"]): datetime.fromisoformat(e.payload["notified_at"])
        for e in lived.of("incident.notified")
    }
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for event in opened:
        for notice in event.payload["notices"]:
            due = datetime.fromisoformat(notice["due_at"])
            at = told.get((event.payload["incident_id"], notice["party"]))
            expected[notice["party"]]["on_time" if at and at <= due else ("late" if at else "not_told")] += 1
    assert len(opened) == 2 and expected["guardian"]["late"] == 1 and expected["bureau"]["not_told"] == 1
    summary = table(content, "按时通知", total_label=None)
    labels = {
        "school_leaders": "学校领导",
        "guardian": "委托监护人",
        "parents": "在外务工家长",
        "bureau": "上级教育主管部门",
    }
    rows = {r[0]: r[1:] for r in summary.rows}
    for party, label in labels.items():
        counts = expected[party]
        assert rows[label] == [counts["on_time"], counts["late"], counts["not_told"], 0], label
    register = table(content, "突发事件及通知", total_label="共")
    assert len(register.rows) == 2 and register.total[0] == "共 2 起"
    assert register.values("情况", "委托监护人").count("超时") == 1


def test_the_asset_register_holds_every_copy_and_what_is_out(lived: Lived, client) -> None:
    content = download(client, lived, "assets", period="")
    sheet = table(content, "资产登记造册")
    with lived.central.db.reads() as session:
        copies = session.scalar(
            select(func.count()).select_from(CentralCopy).where(CentralCopy.school_id == lived.school.id)
        )
    assert sheet.total[sheet.column("数量")] == copies
    assert sheet.total[sheet.column("借出中")] == len(lived.plan.loans_open)
    lost = sum(1 for e in lived.of("loan.returned") if e.payload["condition"] == "lost")
    lost += sum(
        1 for e in lived.of("copy.status_changed") if e.payload["status"] == "lost"
    )  # lost in the room
    assert sheet.total[sheet.column("丢失")] == lost


def test_the_county_overview_shows_each_school_as_its_own_reports_do(
    lived: Lived, central: Central, client
) -> None:
    with central.edit() as session:
        county = schools.create_county(session, "红河区教育局")
        session.get(School, lived.school.id).county_id = county.id
        county_id = county.id
    quiet = central.new_school("安静小学")  # a school of the county whose kiosk never synced
    with central.edit() as session:
        session.get(School, quiet.id).county_id = county_id
    bureau = add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id)
    browser = client(bureau)
    response = browser.download("/office/county/export", format="xlsx", period=lived.period)
    overview = table(response.content, "各校情况")
    rows = {r[0]: r for r in overview.rows}
    school_contact = table(download(client, lived, "contact"), "各班联系情况")
    ours = rows["向阳小学"]
    assert ours[overview.column("到过活动室")] == len(
        {e.payload["child_id"] for e in lived.of("visit.signed_in")}
    )
    assert ours[overview.column("按时联系率")] == school_contact.total[school_contact.column("按时联系率")]
    assert ours[overview.column("借出次数")] == len(lived.of("loan.borrowed"))
    assert rows["安静小学"][overview.column("借出次数")] == 0
    assert overview.total[overview.column("在册留守儿童")] == sum(r[1] for r in overview.rows)
    # 国家口径 per school, the very figure the school's own 统计表 gives
    school_summary = table(download(client, lived, "statistics"), "总体情况", total_label=None)
    official = {row[0]: row[1] for row in school_summary.rows}["农村留守儿童（国家统计口径）"]
    assert ours[overview.column("其中国家口径")] == official
    column = overview.column("其中国家口径")
    assert overview.total[column] == sum(r[column] for r in overview.rows)


def test_a_semester_archive_holds_every_report_named_in_chinese(lived: Lived, client) -> None:
    browser = client(lived.school.admin)
    response = browser.download(f"{lived.school.base}/archive", period="semester:2026-autumn")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[:7] == [
        "01-每学期留守儿童统计表.xlsx", "02-亲情联系情况.xlsx", "03-电话、视频使用登记.xlsx",
        "04-活动室使用情况.xlsx", "05-图书器材借阅.xlsx", "06-资产登记造册.xlsx", "07-突发事件登记.xlsx",
    ]  # fmt: skip
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in names)  # every file named in Chinese
    assert all(info.flag_bits & 0x800 for info in archive.infolist())  # names marked UTF-8 for Windows
    disposition = response.headers["content-disposition"]
    assert quote("向阳小学-2026年秋季学期-学期末归档.zip") in disposition


def test_csv_downloads_open_in_excel_as_chinese(lived: Lived, client) -> None:
    browser = client(lived.school.admin)
    response = browser.download(f"{lived.school.base}/reports/room/export", format="csv", period=lived.period)
    assert response.content.startswith("\ufeff".encode())  # the mark Excel needs to read UTF-8
    text = response.content.decode("utf-8-sig")
    assert "活动室使用情况" in text and "\r\n" in text
    assert response.headers["content-disposition"].startswith("attachment;")
