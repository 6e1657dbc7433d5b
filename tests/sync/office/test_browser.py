"""The school office in a real browser (headless Chromium through Playwright) against the real server:
the first administrator made on the command line signs in, imports rosters (an Excel file, a GBK CSV,
and one with bad rows whose rejections are shown), imports the room's new books (an Excel register with
a bad row, previewed, confirmed), enrols a kiosk with the code the page shows, gives a child a card;
the kiosk — a real `SyncClient` — syncs weeks of afternoons and lends an imported book; every report
is opened and its figures are checked against counts this test makes from the events it pushed; an
XLSX download is read with openpyxl. Screenshots of every page at 1366×768 and 390×844 go to
artifacts/screenshots/office/, and axe-core checks every page shown at both sizes: no critical and no
serious accessibility violation anywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import Child, Loan
from kiosk.services import loans, signin
from sync.server.models import CentralChild, OfficeRole, School
from sync.server.office import schools
from tests.support.processes import REPO
from tests.sync.conftest import Central, Kiosk
from tests.sync.office.axe import SERIOUS, Violation, violations
from tests.sync.office.cataloguefiles import ISBN_13, copy_row
from tests.sync.office.cataloguefiles import xlsx as register_xlsx
from tests.sync.office.chromium import launched, needs_chromium
from tests.sync.office.conftest import PASSWORD, OfficeUser, a_school_from_last_term, add_user
from tests.sync.office.roomlife import Afternoons, live_until_now
from tests.sync.office.rosterfiles import csv_bytes, row, xlsx
from tests.sync.office.workbooks import table

pytest.importorskip("playwright.sync_api")
SHOTS = REPO / "artifacts" / "screenshots" / "office"
ZONE = ZoneInfo("Asia/Shanghai")
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
CLASS = "三年级(1)班"
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as chromium:
        yield chromium


class Office:
    """One signed-in browser tab of the office, at a given size, taking numbered screenshots."""

    def __init__(self, browser: object, base_url: str, size: str, backend: str) -> None:
        width, height = SIZES[size]
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN"
        )
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())  # "are you sure?" before revoke, leave, erase
        self.base = base_url
        self.folder = SHOTS / backend / size
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.size = size
        self.violations: list[Violation] = []
        self.checked: list[str] = []

    def go(self, path: str) -> object:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        return response

    def shot(self, name: str) -> Path:
        """A screenshot of the page as it stands, and axe-core's findings on it."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        found = violations(self.page, f"{name} at {self.size}")
        self.violations += [v for v in found if v.impact in SERIOUS]
        self.checked.append(name)
        return path

    def sign_in(self, user: OfficeUser) -> None:
        self.page.goto(self.base + "/office/")
        self.page.fill("#username", user.username)
        self.page.fill("#password", user.password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url("**/office/**")
        assert "/office/login" not in self.page.url

    def table_rows(self, key: str) -> list[list[str]]:
        return self.page.eval_on_selector(
            f"table[data-table='{key}']",
            "t => [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()))",
        )

    def close(self) -> None:
        self.context.close()


def first_admin_from_the_command_line(server, school_id) -> OfficeUser:
    username = f"wang-{os.getpid()}-{datetime.now().microsecond}"
    command = [
        sys.executable, "-m", "sync.server", "--database", server.database_url,
        "admin", "create-user", username, "--role", "school_admin", "--school", str(school_id),
        "--display-name", "王老师", "--password-stdin",
    ]  # fmt: skip
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        command, input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO, env=environment, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return OfficeUser(username, PASSWORD, None)  # type: ignore[arg-type]


def local_day(moment: datetime):
    return moment.astimezone(ZONE).date()


def test_the_school_office_in_a_real_browser(
    browser, server, central: Central, backend: str, tmp_path: Path
) -> None:
    ref = a_school_from_last_term(central, "阳光小学")
    with central.edit() as session:
        county = schools.create_county(session, "阳光区教育局")
        session.get(School, ref.id).county_id = county.id
        county_id = county.id
    admin = first_admin_from_the_command_line(server, ref.id)
    base = f"/office/s/{ref.id}"

    found: list[Violation] = []
    checked: list[str] = []
    for size in SIZES:
        office = Office(browser, server.url, size, backend)
        try:
            office.go("/office/login")
            office.shot("login")
            office.sign_in(admin)
            _skip_link_comes_first(office, "overview")
            if size == "desktop":
                _roster_imports(office, base, tmp_path)
                _catalogue_import(office, base, tmp_path)
                code = _enrol_code(office, base)
                kiosk = _kiosk_lives(server, central, code, tmp_path)
                _an_imported_book_is_lent(office, base, kiosk)
                _card_for_an_imported_child(office, base, kiosk)
            _every_page(office, base, central, ref.id, kiosk)
            if size == "desktop":
                _a_child_leaves(office, base, kiosk)
        finally:
            found += office.violations
            checked += office.checked
            office.close()

    bureau = add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id)
    for size in SIZES:
        office = Office(browser, server.url, size, backend)
        try:
            office.sign_in(bureau)
            office.go("/office/county")
            assert "阳光小学" in office.page.inner_text("table[data-table='schools']")
            assert "其中国家口径" in office.page.inner_text("table[data-table='schools']")
            office.shot("county-overview")
            if size == "desktop":
                _server_status_before_and_after_a_backup(office, server)
            office.go("/office/server")
            office.shot("server-status")
        finally:
            found += office.violations
            checked += office.checked
            office.close()
    kiosk.close()
    assert len(checked) > 60  # every page at both sizes, previews and forms included
    assert found == [], "\n".join(map(str, found))


def _skip_link_comes_first(office: Office, name: str) -> None:
    """The first Tab stop skips the header and the menu: Enter puts the focus on the page's content."""
    office.page.keyboard.press("Tab")
    assert office.page.evaluate("document.activeElement.className") == "skip-link", name
    office.page.keyboard.press("Enter")
    assert office.page.evaluate("document.activeElement.id") == "content", name


def _server_status_before_and_after_a_backup(office: Office, server) -> None:
    """The bureau's link to 服务器状态: what is missing, then the night's backup and the week's check."""
    office.page.click("text=服务器状态")
    office.page.wait_for_url("**/office/server")
    folder = server.serve_args[server.serve_args.index("--backup-dir") + 1]
    if not list(Path(folder).glob("*-daily-*")):
        assert "还没有完好的备份" in office.page.inner_text("[role=alert]")
        office.shot("server-status-no-backup")
    upkeep = [sys.executable, "-m", "sync.server", "--database", server.database_url]

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*upkeep, command, "--backup-dir", folder], cwd=REPO, capture_output=True, text=True, timeout=300
        )

    for command in ("backup", "check-backup"):
        done = run(command)
        assert done.returncode == 0, done.stderr
    office.go("/office/server")
    assert "正常" in office.page.inner_text("[role=status]")
    assert "完好" in office.page.inner_text("main table")
    # the check in one line; the tables' own names only for whoever opens the details
    assert "恢复后全部一致" in office.page.inner_text("main")
    assert not office.page.is_visible("details table")
    office.shot("server-status-checked")
    office.page.click("details summary")
    assert office.page.is_visible("details table") and "received_events" in office.page.inner_text("details")

    # a backup whose rows do not come back as they were counted: the short table first, in the alert's words
    [manifest] = Path(folder).glob("*-daily-*.json")
    made = json.loads(manifest.read_text(encoding="utf-8"))
    made["counts"]["school_classes"] = made["counts"]["school_classes"] + 3
    manifest.write_text(json.dumps(made), encoding="utf-8")
    assert run("check-backup").returncode != 0
    office.go("/office/server")
    assert "恢复检查没有通过" in office.page.inner_text("[role=alert]")
    short = office.page.inner_text("table:has(caption)")
    assert "school_classes" in short and "received_events" not in short
    office.shot("server-status-check-failed")


def _upload(office: Office, base: str, path: Path, class_name: str | None) -> None:
    office.go(f"{base}/roster")
    office.page.set_input_files("#file", str(path))
    if class_name:
        office.page.select_option("#class_name", label=class_name)
    office.page.click("form[enctype] button[type=submit]")
    office.page.wait_for_url("**/roster/imports/**")


def _roster_imports(office: Office, base: str, folder: Path) -> None:
    good = folder / "三年级1班花名册.xlsx"
    good.write_bytes(
        xlsx(
            "三年级(1)班留守儿童花名册",
            [
                row("Y001", "杨小满", CLASS, father=("杨大山", "13800001111"),
                    mother=("李秀兰", "13900002222"), id_number="52262320160504123X"),
                row("Y002", "马晓东", CLASS, gender="男", guardian="父母单方监护", away="父亲外出",
                    father=("马建国", "13800003333")),
            ],
        )
    )  # fmt: skip
    _upload(office, base, good, CLASS)
    office.shot("roster-preview-xlsx")
    assert [r[1] for r in office.table_rows("preview")] == ["新增", "新增"]
    assert "身份证号" in office.page.inner_text("main")
    office.page.click("text=确认导入 2 行")
    office.page.wait_for_url("**/roster?done=*")
    assert "新增 2 人" in office.page.inner_text("main")

    gbk = folder / "四年级花名册.csv"
    gbk.write_bytes(csv_bytes([row("Y101", "韩梅梅", "四年级(1)班", mother=("周丽", "13800005555"))], "gbk"))
    _upload(office, base, gbk, None)
    assert [r[3] for r in office.table_rows("preview")] == ["韩梅梅"]
    office.page.click("text=确认导入 1 行")
    office.page.wait_for_url("**/roster?done=*")

    bad = folder / "有问题的花名册.xlsx"
    bad.write_bytes(
        xlsx(
            "有问题的花名册",
            [
                row("Y201", "好好", CLASS),
                row("Y202", "重号甲", CLASS),
                row("Y202", "重号乙", CLASS),
                row("Y203", "", CLASS),
                row("Y204", "没这班", "九年级(9)班"),
                row("Y205", "坏电话", CLASS, father=("父亲", "12345")),
                row("Y206", "阿" * 41, CLASS),
            ],
        )
    )
    _upload(office, base, bad, None)
    rows = office.table_rows("preview")
    reasons = {r[2] + r[3][:3]: r[5] for r in rows}
    first_line = next(r[0] for r in rows if r[3] == "重号甲")
    assert f"与第 {first_line} 行学号重复" in reasons["Y202重号乙"] and "缺少姓名" in reasons["Y203"]
    assert (
        "新班级" in next(r[4] for r in rows if r[3] == "没这班") and "电话号码不正确" in reasons["Y205坏电话"]
    )
    assert "姓名超过 40 个字" in reasons["Y206"]  # the name itself is not shown back
    office.shot("roster-preview-rejections")
    office.page.click("text=取消")
    office.page.wait_for_url("**/roster")


def _catalogue_import(office: Office, base: str, folder: Path) -> None:
    """图书与器材: an Excel register of new books with one bad row; the preview names the reason, the
    confirmation writes the good rows only."""
    register = folder / "新书登记.xlsx"
    register.write_bytes(
        register_xlsx(
            "2026年秋季新书登记",
            [
                copy_row("XS000001", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80"),
                copy_row("XS000002", "小猪佩奇", author="英国快乐瓢虫", isbn=ISBN_13, price="25.80"),
                copy_row("XS000003", "坏书号", isbn="978-7-5346-5411-3"),
            ],
        )
    )
    office.go(f"{base}/catalogue")
    office.page.set_input_files("#file", str(register))
    office.page.click("form[enctype] button[type=submit]")
    office.page.wait_for_url("**/catalogue/imports/**")
    rows = {r[2]: r for r in office.table_rows("preview")}
    assert [rows[b][1] for b in ("XS000001", "XS000002", "XS000003")] == ["新增", "新增", "拒绝"]
    assert "ISBN 不正确" in rows["XS000003"][5]
    office.shot("catalogue-preview")
    office.page.click("text=确认导入 2 行")
    office.page.wait_for_url("**/catalogue?done=*")
    assert "新增 2 册（件）" in office.page.inner_text("main")
    office.page.fill("input[name=q]", "小猪佩奇")
    office.page.click("text=查找")
    office.page.wait_for_url("**/catalogue?*q=*")
    assert [r[0] for r in office.table_rows("catalogue")] == ["小猪佩奇"]
    office.shot("catalogue")


def _an_imported_book_is_lent(office: Office, base: str, kiosk: Kiosk) -> None:
    with kiosk.uow.read() as session:  # after weeks of afternoons: a child with nothing out
        out = select(Loan.child_id).where(Loan.is_open)
        child = session.scalars(select(Child.id).where(Child.active, Child.id.not_in(out))).first()
    receipt = loans.borrow_copy(kiosk.uow, child, "XS000001")
    assert receipt.title == "小猪佩奇"
    kiosk.sync()
    office.go(f"{base}/catalogue?q=XS0000")
    assert [r[5:7] for r in office.table_rows("catalogue")] == [["2", "1"]]  # two copies, one out


def _enrol_code(office: Office, base: str) -> str:
    office.go(f"{base}/kiosks")
    office.page.click("form[action$='/kiosks/codes'] button")
    office.page.wait_for_selector("[data-code]")
    assert office.page.locator(".qr svg").count() == 1
    office.shot("kiosks-enrolment-code")
    return office.page.inner_text("[data-code]").strip()


def _kiosk_lives(server, central: Central, code: str, folder: Path) -> Kiosk:
    kiosk = Kiosk(folder / "kiosk.sqlite3")
    kiosk.enrol(server.url, code)
    plan = Afternoons(days=10, seed=5)
    live_until_now(kiosk, plan)
    kiosk.sync()
    assert kiosk.pending() == 0
    return kiosk


def _card_for_an_imported_child(office: Office, base: str, kiosk: Kiosk) -> None:
    office.go(f"{base}/children?q=杨小满")
    office.page.click("text=杨小满")
    office.page.click("text=修改")
    office.page.fill("input[name=uid]", "a1:b2:c3:d4")
    office.page.click("text=发卡")
    office.page.wait_for_url("**/edit?saved=1")
    assert "A1B2C3D4" in office.page.inner_text("main")
    office.shot("child-edit-card")
    kiosk.sync()
    assert isinstance(signin.tap_card(kiosk.uow, "A1B2C3D4"), signin.SignedIn)  # the imported child signs in
    kiosk.clock.advance(minutes=20)
    signin.tap_card(kiosk.uow, "A1B2C3D4")
    kiosk.sync()


def _a_child_leaves(office: Office, base: str, kiosk: Kiosk) -> None:
    """办理离校 in the browser: at its next sync the kiosk has the child inactive and refuses the card."""
    office.go(f"{base}/children?q=杨小满")
    office.page.click("text=杨小满")
    office.page.click("text=修改")
    office.page.click("text=办理离校")  # the page asks "are you sure?"; the dialog handler says yes
    office.page.wait_for_url("**/edit?saved=1")
    assert "离校" in office.page.inner_text("main")
    office.shot("child-left")
    kiosk.sync()
    assert isinstance(signin.tap_card(kiosk.uow, "A1B2C3D4"), signin.InactiveCardTapped)


def _every_page(office: Office, base: str, central: Central, school_id, kiosk: Kiosk) -> None:
    events = central.events_of(kiosk.device_id)
    first, last = (
        min(local_day(e.corrected_at) for e in events),
        max(local_day(e.corrected_at) for e in events),
    )
    period = f"range:{first.isoformat()}..{last.isoformat()}"
    of = lambda kind: [e for e in events if e.type == kind]  # noqa: E731

    office.go(f"{base}/")
    office.shot("overview")
    office.go(f"{base}/reports")
    office.shot("reports")

    office.go(f"{base}/reports/statistics?period={period}")
    with central.db.reads() as session:
        roster = session.scalar(
            select(func.count()).select_from(CentralChild).where(CentralChild.school_id == school_id)
        )
    summary = {r[0]: int(r[1]) for r in office.table_rows("summary")}
    assert summary["本期在册留守儿童"] == roster
    official = summary["农村留守儿童（国家统计口径）"]
    by_guardian = office.table_rows("by_guardian")
    assert by_guardian[-1][0] == "合计" and int(by_guardian[-1][1]) == official  # the official count first
    lead = office.page.locator("[data-lead]")
    assert "不满十六周岁" in lead.inner_text()  # the definition right under the title, above every table
    assert office.page.evaluate(
        "() => document.querySelector('[data-lead]').compareDocumentPosition(document.querySelector('table'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    office.shot("report-statistics")

    office.go(f"{base}/reports/contact?period={period}")
    calls = Counter(
        "video"
        if e.payload["kind"] == "video"
        else ("incoming" if e.payload["direction"] == "incoming" else "phone")
        for e in of("call.started")
    )
    total = office.table_rows("per_class")[-1]
    assert [int(total[i]) for i in (5, 6, 7, 8)] == [
        calls["phone"],
        calls["video"],
        calls["incoming"],
        len(of("letter.recorded")),
    ]
    office.shot("report-contact")

    office.go(f"{base}/reports/register?period={period}")
    register = office.table_rows("register")
    assert register[-1][0] == f"共 {len(of('call.started'))} 次"
    office.shot("report-register")

    office.go(f"{base}/reports/room?period={period}")
    visits = Counter(local_day(e.corrected_at).isoformat() for e in of("visit.signed_in"))
    assert {r[0]: int(r[4]) for r in office.table_rows("per_day")[:-1]} == dict(visits)
    office.shot("report-room")

    office.go(f"{base}/reports/lending?period={period}")
    assert int(office.table_rows("by_kind")[-1][1]) == len(of("loan.borrowed"))
    office.shot("report-lending")
    with office.page.expect_download() as download_info:
        office.page.click("text=下载 Excel (XLSX)")
    saved = download_info.value.path()
    sheet = table(Path(saved).read_bytes(), "按类别")
    assert sheet.total[sheet.column("借出次数")] == len(of("loan.borrowed"))
    assert sheet.subtitle.startswith("阳光小学")

    office.go(f"{base}/reports/assets")
    office.shot("report-assets")
    office.go(f"{base}/reports/incidents?period={period}")
    office.shot("report-incidents")

    office.go(f"{base}/children")
    office.shot("children")
    office.go(f"{base}/children?status=all&q=杨小满")  # she may have left already (the desktop run)
    office.page.click("text=杨小满")
    assert "到活动室" in office.page.inner_text("table[data-table='timeline']")
    office.shot("child-record")
    office.page.click("text=修改")
    office.page.wait_for_url("**/edit")
    office.shot("child-edit")

    for path, name in (
        ("/roster", "roster"),
        ("/catalogue", "catalogue"),
        ("/classes", "classes"),
        ("/kiosks", "kiosks"),
        ("/conflicts", "conflicts"),
        (f"/events?kiosk={kiosk.device_id}", "events"),
        ("/users", "users"),
        ("/settings", "settings"),
        ("/erasure", "erasure"),
        ("/staff", "staff"),
        ("/children/new", "child-new"),
        ("/audit", "audit"),
    ):
        office.go(base + path)
        office.shot(name)
    audit = office.page.inner_text("table[data-table='audit']")
    assert "查看儿童档案" in audit and "导出" in audit and "导入花名册" in audit
    assert "导入图书与器材" in audit
    assert "报表《图书器材借阅》" in audit and "格式 XLSX" in audit  # in words, not "报表 lending"
    office.go("/office/account")
    office.shot("account")

    office.page.click("header button[name=locale]")  # English
    office.page.wait_for_load_state()
    office.go(f"{base}/reports/contact?period={period}")
    assert "Family contact" in office.page.inner_text("h1")
    office.shot("report-contact-english")
    office.page.click("header button[name=locale]")  # back to Chinese
