"""How fast the care network's pages answer for a big school: a teacher's 我的孩子 (the page a teacher
opens on a phone after a visit), a child's care page, and the administrator's table per teacher for a
semester and a school year (with the overdue lists on the same page) and its XLSX — for a school of
2,000 left-behind children and 120 teachers with a year of records (a 谈心 most weeks, a contact with
the family most months, home visits each semester, calls home from the kiosk most weeks), through the
real server over HTTP, on SQLite (and PostgreSQL with --server both).

Run: python -m bench care_pages [--server sqlite|postgresql|both] [--repeat 7]

Baseline: a school of 200 children and 12 teachers with the same kind of year, in the same database.
The ratio says how the pages grow with the school; the goal is the issue's: under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import requests
from sqlalchemy import insert

from bench.timing import print_table
from db.enums import CallDirection, CallKind, GuardianType
from sync.server.bootstrap import open_central
from sync.server.core.database import CentralDatabase
from sync.server.devices import provisioning
from sync.server.models import (
    CallRecord,
    CareKind,
    CarePair,
    CareRecord,
    CentralChild,
    ContactChannel,
    FamilyParty,
    OfficeRole,
    OfficeUser,
    SchoolClass,
    TalkTopic,
)
from sync.server.office.accounts.users import hash_password
from tests.support.processes import PostgresCluster, ServerProcess

GOAL = 0.300
PASSWORD = "bench-关爱-password-1"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "子涵欣怡梓轩浩然宇航雨桐思琪俊杰佳怡紫涵一诺诗琪博文明轩晨曦嘉怡梦琪天佑雅琳志强"
    "建华丽娟秀英春燕海峰小红小军文静振宇"
)
TEACHER_GIVEN = "老师"
TOPICS = [t.value for t in TalkTopic]
NOTES = [
    "谈到这周的作业，数学有进步。",
    "说想妈妈了，约好周末给妈妈打视频电话。",
    "和同桌闹了点矛盾，已经和好。",
    "最近睡得晚，提醒按时休息。",
    "奶奶腿脚不好，孩子放学后帮着做饭。",
]


@dataclass(frozen=True)
class BenchSchool:
    id: uuid.UUID
    admin: str
    busiest_teacher: str  # a 班主任 who also has children of their own: the longest 我的孩子
    child_id: uuid.UUID


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_school(
    database: CentralDatabase, label: str, children: int, teachers: int, seed: int
) -> BenchSchool:
    """A school with its classes (about 40 children each), its teachers (a third 班主任, the others with
    up to seven children of their own), and a year of care records and calls home up to today."""
    rng = random.Random(seed)
    today = datetime.now(UTC).astimezone().date()
    start = today - timedelta(days=365)
    now = datetime.now(UTC)
    password = hash_password(PASSWORD)
    with database.writes() as session:
        school = provisioning.create_school(session, f"{label}中心小学")
        room = provisioning.create_room(session, school.id, "留守儿童之家")
        device = uuid.uuid4()
        class_count = max(children // 40, 1)
        classes = [(f"{1 + i % 6}年级({1 + i // 6})班", 1 + i % 6) for i in range(class_count)]
        for name, grade in classes:
            session.add(
                SchoolClass(id=uuid.uuid4(), school_id=school.id, name=name, grade=grade, active=True)
            )
        kids = []
        for number in range(children):
            name, grade = classes[number % class_count]
            kids.append(
                {
                    "id": uuid.uuid4(), "school_id": school.id, "change_seq": 0, "changed_at": now,
                    "name": _name(rng), "class_name": name, "grade": grade,
                    "guardian_type": rng.choice(list(GuardianType)), "active": True,
                    "student_no": f"{label[:1].upper()}{seed}{number:05d}", "father_away": True,
                    "mother_away": rng.random() < 0.6, "home_parent_unable": False, "joined_on": start,
                }
            )  # fmt: skip
        session.execute(insert(CentralChild), kids)
        users = []
        for number in range(teachers + 1):
            users.append(
                {
                    "id": uuid.uuid4(), "username": f"{label}-t{seed}-{number}",
                    "display_name": rng.choice(SURNAMES) + TEACHER_GIVEN + str(number),
                    "password_hash": password,
                    "role": OfficeRole.SCHOOL_ADMIN if number == 0 else OfficeRole.SCHOOL_STAFF,
                    "school_id": school.id, "may_view_children": number == 0, "counsellor": False,
                    "locale": "zh_CN", "active": True, "created_at": now, "password_changed_at": now,
                }
            )  # fmt: skip
        session.execute(insert(OfficeUser), users)
        admin, staff = users[0], users[1:]
        class_teachers = staff[:class_count]
        carers = staff[class_count:]
        pairs, carer_of = [], {}
        for (name, _), teacher in zip(classes, class_teachers, strict=False):
            pairs.append({"class_name": name, "teacher_id": teacher["id"]})
        # Own pairs: up to seven children per remaining teacher; the busiest 班主任 takes five too.
        own_takers = [class_teachers[0]] * 5 + [t for t in carers for _ in range(7)]
        for kid, teacher in zip(kids[1::3], own_takers, strict=False):
            pairs.append({"child_id": kid["id"], "teacher_id": teacher["id"]})
            carer_of[kid["id"]] = teacher["id"]
        by_class = dict(zip([c[0] for c in classes], class_teachers, strict=False))
        session.execute(
            insert(CarePair),
            [
                {"id": uuid.uuid4(), "school_id": school.id, "starts_on": start, "ends_on": None,
                 "created_at": now, "child_id": None, "class_name": None} | pair
                for pair in pairs
            ],
        )  # fmt: skip
        records, calls = [], []
        for kid in kids:
            teacher_id = carer_of.get(kid["id"]) or by_class[kid["class_name"]]["id"]
            day = start
            while day <= today:
                if rng.random() < 0.85:
                    on = day + timedelta(days=rng.randrange(5))
                    if on <= today:
                        records.append(_record(school.id, kid["id"], teacher_id, CareKind.TALK, on, rng))
                if day.day <= 7 and rng.random() < 0.8:
                    records.append(_record(school.id, kid["id"], teacher_id, CareKind.CONTACT, day, rng))
                if day.month in (4, 10) and day.day <= 7 and rng.random() < 0.9:
                    records.append(_record(school.id, kid["id"], teacher_id, CareKind.VISIT, day, rng))
                if rng.random() < 0.8:
                    at = datetime.combine(day + timedelta(days=rng.randrange(5)), clock_time(8), UTC)
                    if at.date() <= today:
                        calls.append(
                            {"school_id": school.id, "device_id": device, "call_id": uuid.uuid4(),
                             "child_id": kid["id"], "callee_id": uuid.uuid4(), "kind": CallKind.PHONE,
                             "direction": CallDirection.OUTGOING, "reason": None, "logged_by_staff_id": None,
                             "started_at": at, "day": at.date(), "ended_at": at + timedelta(minutes=4),
                             "end_reason": None}
                        )  # fmt: skip
                day += timedelta(days=7)
        for chunk in range(0, len(records), 20_000):
            session.execute(insert(CareRecord), records[chunk : chunk + 20_000])
        for chunk in range(0, len(calls), 20_000):
            session.execute(insert(CallRecord), calls[chunk : chunk + 20_000])
        session.commit()
        del room
    print(
        f"  {label}: {children} children, {teachers} teachers, "
        f"{len(records)} care records, {len(calls)} calls home"
    )
    busiest = class_teachers[0]["username"]
    return BenchSchool(school.id, admin["username"], busiest, kids[1]["id"])


def _record(school_id, child_id, author_id, kind: CareKind, on: date, rng: random.Random) -> dict:  # noqa: ANN001
    at = datetime.combine(on, clock_time(10), UTC)
    return {
        "id": uuid.uuid4(), "school_id": school_id, "child_id": child_id, "author_id": author_id,
        "kind": kind,
        "on_day": on, "topics": rng.sample(TOPICS, rng.choice((1, 2))) if kind is CareKind.TALK else [],
        "minutes": rng.choice((10, 15, 20, 30)) if kind is CareKind.TALK else None,
        "met": "奶奶" if kind is CareKind.VISIT else None,
        "party": FamilyParty.GUARDIAN if kind is CareKind.CONTACT else None,
        "channel": ContactChannel.PHONE if kind is CareKind.CONTACT else None,
        "notes": rng.choice(NOTES), "created_at": at, "changed_at": at,
    }  # fmt: skip


def signed_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    form = http.get(f"{base}/office/login", timeout=30)
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = http.post(
        f"{base}/office/login",
        data={"username": username, "password": PASSWORD, "login_token": token},
        timeout=60,
    )
    answer.raise_for_status()
    assert "/office/login" not in answer.url, "sign-in failed"
    return http


def cpu_seconds(pid: int) -> float:
    """The server process's CPU time (user + system): what a request costs it, however busy the
    machine's other processes keep the cores (a shared machine stretches wall time, not this)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(
    http: requests.Session, url: str, params: dict[str, str], repeat: int, pid: int
) -> tuple[float, float]:
    """Median wall time of `repeat` requests after one warm-up, and the server's CPU per request."""
    first = http.get(url, params=params, timeout=120)  # warm-up: query plans, templates
    assert first.status_code == 200, (url, first.status_code, first.text[:200])
    samples = []
    cpu_before = cpu_seconds(pid)
    for _ in range(repeat):
        started = time.perf_counter()
        answer = http.get(url, params=params, timeout=120)
        samples.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return statistics.median(samples), (cpu_seconds(pid) - cpu_before) / repeat


def measure(server: ServerProcess, school: BenchSchool, repeat: int) -> dict[str, tuple[float, float]]:
    teacher = signed_in(server.url, school.busiest_teacher)
    admin = signed_in(server.url, school.admin)
    base = f"{server.url}/office/s/{school.id}"
    today = date.today()
    first_year = today.year if today.month >= 9 else today.year - 1
    pid = server.process.pid

    def median_get(
        http: requests.Session, url: str, params: dict[str, str], repeat: int
    ) -> tuple[float, float]:
        return timed(http, url, params, repeat, pid)

    return {
        "我的孩子 (teacher, phone)": median_get(teacher, f"{base}/care", {}, repeat),
        "a child's care page": median_get(teacher, f"{base}/care/children/{school.child_id}", {}, repeat),
        "teacher table, semester": median_get(admin, f"{base}/care/teachers", {}, repeat),
        "teacher table, school year": median_get(
            admin, f"{base}/care/teachers", {"period": f"year:{first_year}"}, repeat
        ),
        "  teacher table .xlsx": median_get(
            admin, f"{base}/care/teachers/export", {"format": "xlsx"}, repeat
        ),
        "overdue per teacher and child": median_get(admin, f"{base}/care/overdue", {}, repeat),
        "pairs and unpaired list": median_get(admin, f"{base}/care/pairs", {}, repeat),
    }


def run(url: str, folder: Path, repeat: int, backend: str) -> None:
    database = open_central(url)
    print(f"{backend}: making the schools (a year of records each) …")
    small = make_school(database, "小坝", children=200, teachers=12, seed=1)
    big = make_school(database, "大河", children=2000, teachers=120, seed=2)
    database.engine.dispose()
    server = ServerProcess(url, folder / f"server-{backend}.log").start()
    try:
        baseline, measured = measure(server, small, repeat), measure(server, big, repeat)
    finally:
        server.stop()
    rows = [
        [page, baseline[page][0], measured[page][0], f"{measured[page][0] / baseline[page][0]:.2f}x",
         measured[page][1], "ok" if measured[page][0] < GOAL else "OVER 300 ms"]
        for page in measured
    ]  # fmt: skip
    load = os.getloadavg()[0]
    print(
        f"\n{backend}: median of {repeat} requests after one warm-up, through HTTP (load average {load:.1f})"
    )
    print_table(
        ["page", "200 children", "2,000 children", "ratio", "server CPU/request", "goal < 300 ms"], rows
    )
    if backend == "postgresql":
        print("(server CPU is the web server's own; PostgreSQL's work is in its own processes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="care-bench-") as scratch:
        folder = Path(scratch)
        if options.server in ("sqlite", "both"):
            run(f"sqlite:///{folder / 'central.sqlite3'}", folder, options.repeat, "sqlite")
        if options.server in ("postgresql", "both"):
            cluster = PostgresCluster()
            try:
                run(cluster.create_database(), folder, options.repeat, "postgresql")
            finally:
                cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
