"""The care network in a real browser (headless Chromium through Playwright) against the real server:
a teacher signs in on a phone-sized screen (390×844), opens 我的孩子, records a 家访 with a photo chosen
in the file input — a real JPEG with the GPS position of the home and the phone's make and model in
its EXIF — and a 谈心 with topic chips, and sees what is still due; the school administrator, at
1366×768, pairs a child, sees the table per teacher, downloads it (a form with its signature lines),
posts activity news with a photo, and the photo as stored has no EXIF (its bytes are read). Every page
is screenshot to artifacts/screenshots/care/ and checked by axe-core: no critical or serious finding.

One backend is enough here (the pages are the same; test_care.py runs both databases).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CarePhoto, CareRecord, CentralChild, OfficeRole, OfficeUser, School
from sync.server.office import schools
from sync.server.office.care import pairs
from sync.wire import MAX_BODY_BYTES
from tests.support.processes import REPO
from tests.sync.conftest import Central
from tests.sync.office.axe import SERIOUS, Violation, violations
from tests.sync.office.carefiles import assert_no_camera_data, camera_photo, phone_photo
from tests.sync.office.chromium import launched, needs_chromium
from tests.sync.office.conftest import add_user, classes_from_children
from tests.sync.office.libreoffice import first_page_png, is_a4, page_sizes, text_of, to_pdf
from tests.sync.office.school_day import school_today

pytest.importorskip("playwright.sync_api")
SHOTS = REPO / "artifacts" / "screenshots" / "care"
ALL_IMAGES_SHOWN = "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
pytestmark = [
    pytest.mark.slow,
    needs_chromium,
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as chromium:
        yield chromium


def _printed_as_a_form(xlsx: Path, folder: Path) -> None:
    """The download opened by LibreOffice and printed to PDF: one A4 page with the title, the teacher's
    row and the lines to sign; its first page kept as a PNG to look at."""
    if shutil.which("soffice") is None:
        raise AssertionError("LibreOffice is not installed (make test installs it)")
    pdf = to_pdf([xlsx], folder)[xlsx]
    text = text_of(pdf)
    assert "帮扶工作统计表" in text and "李老师" in text and "填表人" in text and "单位（盖章）" in text
    assert all(is_a4(size) for size in page_sizes(pdf))
    first_page_png(pdf, SHOTS / "teacher-table-printed.png")


class Screen:
    def __init__(self, browser: object, base_url: str, size: tuple[int, int], name: str) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": size[0], "height": size[1]}, accept_downloads=True, locale="zh-CN"
        )
        self.page = self.context.new_page()
        self.base = base_url
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.found: list[Violation] = []

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)

    def shot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)
        self.found += [v for v in violations(self.page, name) if v.impact in SERIOUS]

    def sign_in(self, username: str, password: str, lands: str = "**/office/s/**") -> None:
        self.page.goto(self.base + "/office/")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lands)


def test_a_teacher_on_a_phone_and_the_administrator_at_a_desk(
    browser, server, central: Central, backend: str, tmp_path: Path, client
) -> None:
    if backend != "sqlite":
        pytest.skip("the browser walk runs once; test_care.py covers both databases")
    ref = central.new_school("阳光小学")
    classes_from_children(central, ref.id)
    admin = add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id)
    teacher = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=ref.id)
    with central.edit() as session:
        session.get(OfficeUser, teacher.id).display_name = "李老师"
        children = session.scalars(select(CentralChild).where(CentralChild.school_id == ref.id)).all()
        klass = sorted({c.class_name for c in children})[0]
        other_class = sorted({c.class_name for c in children} - {klass})[0]
        first, second = [c for c in children if c.class_name == other_class][:2]
        class_size = sum(1 for c in children if c.class_name == klass and c.active)
    base = f"/office/s/{ref.id}"
    found: list[Violation] = []

    # The administrator pairs the teacher with two children and makes them 班主任 of a class.
    desk = Screen(browser, server.url, (1366, 768), "desktop-administrator")
    try:
        desk.sign_in(admin.username, admin.password)
        desk.go(f"{base}/care/pairs")
        desk.shot("pairs-before")
        for child in (first, second):
            desk.go(f"{base}/care/pairs?klass={other_class}")
            row = desk.page.locator("table[data-table='unpaired'] tr", has_text=child.name)
            row.locator("select").select_option(label=f"李老师（{0 if child is first else 1}/7）")
            row.locator("button").click()
            desk.page.wait_for_url("**/care/pairs?done=paired")
        desk.page.select_option("select[name=teacher_id] >> nth=0", label="李老师")
        desk.page.select_option("select[name=class_name]", label=klass)
        desk.page.click("text=结对全班")
        desk.page.wait_for_url("**/care/pairs?done=paired")
        assert "李老师" in desk.page.inner_text("table[data-table='pairs']")
        desk.shot("pairs-after")
    finally:
        found += desk.found

    # The teacher, on a phone.
    phone = Screen(browser, server.url, (390, 844), "phone-teacher")
    photo = tmp_path / "IMG_20261120_163012.jpg"
    photo.write_bytes(phone_photo())
    try:
        phone.sign_in(teacher.username, teacher.password)
        phone.page.click("nav >> text=我的孩子")
        phone.page.wait_for_url("**/care")
        cards = phone.page.locator(f"[data-child='{first.id}']")
        assert "本周待谈心" in cards.inner_text() and "本学期还需家访 1 次" in cards.inner_text()
        phone.shot("my-children")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"

        cards.locator("text=记家访").click()
        phone.page.wait_for_url("**/new/visit")
        phone.page.fill("#met", "奶奶")
        phone.page.fill("#notes", "奶奶说孩子晚上按时写作业，想妈妈。")
        phone.page.set_input_files("#photos", str(photo))
        phone.shot("visit-form")
        phone.page.click("button[type=submit]")
        phone.page.wait_for_url("**/care/children/**?saved=visit")
        assert "家访记录已保存" in phone.page.inner_text("main")
        phone.page.wait_for_function(
            "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
        phone.shot("child-after-visit")

        phone.page.click("text=记谈心")
        phone.page.wait_for_url("**/new/talk")
        phone.page.click("label[for=topic-study]")
        phone.page.click("label[for=topic-feelings]")
        phone.page.fill("#minutes", "20")
        phone.page.fill("#notes", "期中考试前有些紧张，约好每天读书半小时。")
        phone.shot("talk-form")
        phone.page.click("button[type=submit]")
        phone.page.wait_for_url("**/care/children/**?saved=talk")
        history = phone.page.inner_text(".care-history")
        assert "学习" in history and "情绪" in history and "20 分钟" in history
        phone.shot("child-after-talk")

        phone.go(f"{base}/care")
        card = phone.page.locator(f"[data-child='{first.id}']").inner_text()
        assert "本周待谈心" not in card and "本学期还需家访" not in card
        assert "本月待联系家长" in card  # what is still due
        assert school_today().isoformat() in card
        phone.shot("my-children-after")
    finally:
        found += phone.found
        phone.context.close()

    with central.db.reads() as session:
        record = session.scalar(
            select(CareRecord).where(CareRecord.child_id == first.id, CareRecord.kind == "visit")
        )
        stored = session.scalars(select(CarePhoto).where(CarePhoto.record_id == record.id)).all()
    assert len(stored) == 1
    # The browser sent the camera's file as it was (too small to be shrunk): the server stripped it.
    assert_no_camera_data(stored[0].jpeg)
    assert photo.read_bytes()[:2] == b"\xff\xd8" and b"HUAWEI" in photo.read_bytes()

    # Back at the desk: the teacher table, its download, activity news with a photo.
    try:
        desk.go(f"{base}/care/teachers")
        row = next(r for r in desk.page.eval_on_selector(
            "table[data-table='teachers']",
            "t => [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()))",
        ) if r[0] == "李老师")  # fmt: skip
        # Two children of their own and the class; one talk, one visit.
        assert row[1] == str(2 + class_size) and row[2] == "1" and row[5] == "1"
        desk.shot("teacher-table")
        with desk.page.expect_download() as download:
            desk.page.click("text=下载 Excel (XLSX)")
        saved = tmp_path / "帮扶工作统计表.xlsx"
        saved.write_bytes(Path(download.value.path()).read_bytes())
        book = load_workbook(io.BytesIO(saved.read_bytes()))
        cells = [str(c.value) for r in book.active.iter_rows() for c in r if c.value is not None]
        assert cells[0] == "帮扶工作统计表" and "李老师" in cells
        assert any(c.startswith("填表人") for c in cells)
        _printed_as_a_form(saved, tmp_path)

        desk.go(f"{base}/care/overdue")
        desk.shot("overdue")
        desk.go(f"{base}/news")
        desk.page.fill("#title", "中秋节留守儿童联欢会")
        desk.page.fill("#body", "九月二十五日，学校为留守儿童举办中秋联欢，代理家长和孩子们一起做月饼。")
        desk.page.set_input_files("#photos", str(photo))
        desk.page.click("form[action$='/news'] button[type=submit]")
        desk.page.wait_for_url("**/news/*")
        desk.page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        desk.shot("news-post")
        desk.go(f"{base}/news")
        desk.shot("news")
        desk.go(f"{base}/care/children/{first.id}")
        desk.shot("admin-child-care")
    finally:
        found += desk.found
        desk.context.close()
    found += _counsellor_bureau_and_english(browser, server, central, ref.id, first, teacher)
    with central.db.reads() as session:
        news_photo = session.scalar(
            select(CarePhoto).where(CarePhoto.school_id == ref.id, CarePhoto.post_id.is_not(None))
        )
    assert_no_camera_data(news_photo.jpeg)
    assert news_photo.height > 1067  # the band with the school's and the activity's name under the picture
    (SHOTS / "stored-news-photo.jpg").write_bytes(news_photo.jpeg)
    assert found == [], "\n".join(map(str, found))


def _counsellor_bureau_and_english(browser, server, central: Central, school_id, child, teacher) -> list:
    """A counsellor records a session (its page shows the content); the bureau reads the county's
    care summary on a phone (counts, no names); the teacher's page in English. Screenshots and axe."""
    base = f"/office/s/{school_id}"
    counsellor = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=school_id)
    with central.edit() as session:
        session.get(OfficeUser, counsellor.id).counsellor = True
        county = schools.create_county(session, "阳光区教育局")
        session.get(School, school_id).county_id = county.id
        county_id = county.id
    bureau = add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id)
    found: list[Violation] = []
    desk = Screen(browser, server.url, (1366, 768), "desktop-counsellor")
    try:
        desk.sign_in(counsellor.username, counsellor.password)
        desk.go(f"{base}/counselling")
        desk.page.select_option("#child_id", value=str(child.id))
        desk.page.fill("#minutes", "40")
        desk.page.fill("#session_content", "想念在外打工的妈妈，夜里睡不好；一起练习了放松呼吸。")
        desk.page.click("form[action$='/counselling'] button[type=submit]")
        desk.page.wait_for_url("**/counselling/*")
        assert "放松呼吸" in desk.page.inner_text("[data-content]")
        desk.shot("counselling-record")
        desk.go(f"{base}/counselling")
        desk.shot("counselling")
    finally:
        found += desk.found
        desk.context.close()
    phone = Screen(browser, server.url, (390, 844), "phone-bureau")
    try:
        phone.sign_in(bureau.username, bureau.password, lands="**/office/county**")
        phone.go("/office/county/care")
        summary = phone.page.inner_text("main")
        assert "阳光小学" in summary and "放松呼吸" not in summary and child.name not in summary
        assert "1 / 2" in phone.page.inner_text("table[data-table='county_news']")
        phone.shot("county-care")
        phone.go(f"{base}/news")
        phone.shot("news-for-the-bureau")
    finally:
        found += phone.found
        phone.context.close()
    english = Screen(browser, server.url, (390, 844), "phone-teacher-english")
    try:
        english.sign_in(teacher.username, teacher.password)
        english.page.click("header button[name=locale]")
        english.page.wait_for_load_state()
        english.go(f"{base}/care")
        assert "My children" in english.page.inner_text("h1")
        assert "Record a home visit" in english.page.inner_text("main")
        english.shot("my-children-english")
        english.go(f"{base}/care/children/{child.id}/new/talk")
        english.shot("talk-form-english")
        english.page.click("header button[name=locale]")  # back to Chinese for the next test's user
    finally:
        found += english.found
        english.context.close()
    return found


def test_two_photos_straight_from_a_phones_camera_are_made_smaller_before_they_are_sent(
    browser, server, central: Central, backend: str, tmp_path: Path
) -> None:
    """A teacher picks two photos from the phone's gallery for a 家访: 3-4 MB each, together more than
    one request may carry. The page makes them smaller in the browser before sending (office.js), so
    the visit is saved with both — upright, without the camera's data — instead of a refusal in JSON."""
    if backend != "sqlite":
        pytest.skip("the browser walk runs once; test_care.py covers both databases")
    ref = central.new_school("阳光小学")
    classes_from_children(central, ref.id)
    teacher = add_user(central, OfficeRole.SCHOOL_STAFF, school_id=ref.id)
    with central.edit() as session:
        child = session.scalars(select(CentralChild).where(CentralChild.school_id == ref.id)).first()
        pairs.pair_child(
            session,
            ref.id,
            SchoolSettings(),
            teacher_id=teacher.id,
            child_id=child.id,
            starts_on=school_today(),
        )
    shots = [tmp_path / f"IMG_20261120_16301{n}.jpg" for n in (1, 2)]
    for n, shot in enumerate(shots):
        shot.write_bytes(camera_photo(seed=20 + n))
    assert sum(s.stat().st_size for s in shots) > MAX_BODY_BYTES

    phone = Screen(browser, server.url, (390, 844), "phone-teacher-camera")
    try:
        phone.sign_in(teacher.username, teacher.password)
        phone.go(f"/office/s/{ref.id}/care/children/{child.id}/new/visit")
        phone.page.fill("#met", "外婆")
        phone.page.fill("#notes", "外婆说孩子周末帮着喂鸡，作业按时完成。")
        phone.page.set_input_files("#photos", [str(s) for s in shots])
        phone.page.click("button[type=submit]")
        phone.page.wait_for_url("**/care/children/**?saved=visit")
        phone.page.wait_for_function(
            "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
        phone.shot("visit-with-two-camera-photos")
    finally:
        phone.context.close()
    with central.db.reads() as session:
        record = session.scalar(select(CareRecord).where(CareRecord.child_id == child.id))
        stored = session.scalars(select(CarePhoto).where(CarePhoto.record_id == record.id)).all()
    assert len(stored) == 2
    for photo in stored:
        assert_no_camera_data(photo.jpeg)
        assert photo.width == 1600 and photo.height == 1200  # upright, as the phone showed it
    assert phone.found == [], "\n".join(map(str, phone.found))
