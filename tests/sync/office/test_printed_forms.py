"""Every export opened by a real spreadsheet program, printed to PDF and read back, as a school clerk
would print, sign and send it — and none of them able to attack the clerk's spreadsheet.

A school whose kiosk lived some weeks of afternoons has a child whose name, a book whose title and a
TV showing (a string the kiosk sent) that begin with `=`, `+`, `-` or `@`. Everything the office can
download — the semester archive's reports, each report's CSV, the county overview for the bureau,
the roster and the catalogue with their templates — is converted by LibreOffice headless (one run for
the XLSX files, one for the CSV files, which need LibreOffice told they are UTF-8). Each report's PDF
holds its title, its totals, its notes and the lines it is signed on; every page is A4; the first page
of each is rendered to artifacts/printed/ to be looked at. Opened with openpyxl, every text cell that
looks like a formula is a string cell holding the value as typed; in the PDFs the formulas stand as
text (a live =HYPERLINK would show only its label), and the CSV files carry the OWASP apostrophe.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.enums import ShowingMedium
from kiosk.services import showings
from sync.server.models import CentralChild, OfficeRole, School
from sync.server.office import schools
from tests.support.processes import REPO
from tests.sync.conftest import Central, Kiosk
from tests.sync.office.cataloguefiles import copy_row
from tests.sync.office.cataloguefiles import csv_bytes as register_csv
from tests.sync.office.conftest import OfficeUser, a_school_from_last_term, add_user
from tests.sync.office.libreoffice import first_page_png, is_a4, need_libreoffice, page_sizes, text_of, to_pdf
from tests.sync.office.officeclient import OfficeClient
from tests.sync.office.roomlife import Afternoons, live_until_now

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
# The layout of a file does not depend on the database: one backend is enough for this slow test.

SEMESTER = "semester:2026-autumn"
PICTURES = REPO / "artifacts" / "printed"
HOSTILE_NAME = '=HYPERLINK("http://evil.example/","点我")'
HOSTILE_TITLES = ["=1+1", "+2+3", "-4+5", "@SUM(A1:A2)"]
HOSTILE_SHOWING = '=HYPERLINK("http://evil.example/tv","看这里")'
SIGN_OFF = ["填表人", "审核人", "填报日期", "单位（盖章）"]
# What each report's printed form must show besides its title: a total and its notes.
REPORT_WORDS = {
    "每学期留守儿童统计表": ["合计", "国家统计口径", "期末人数 = 期初人数 + 期内新增 − 期内离开"],
    "亲情联系情况": ["合计"],
    "电话、视频使用登记": ["共"],
    "活动室使用情况": ["合计", HOSTILE_SHOWING],
    "图书器材借阅": ["合计"],
    "资产登记造册": ["合计", HOSTILE_TITLES[0]],
    "突发事件登记": [],
}


@dataclass
class Printed:
    files: dict[str, Path]  # a name for each downloaded file
    pdfs: dict[str, Path]
    folder: Path


def signed_in(server, user: OfficeUser) -> OfficeClient:
    browser = OfficeClient(server.url)
    browser.login(user.username, user.password)
    return browser


def _download(browser, path: str, **params: str) -> bytes:
    response = browser.download(path, **params)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response.content


@pytest.fixture(scope="module")
def printed(central: Central, server, tmp_path_factory) -> Iterator[Printed]:
    need_libreoffice()
    folder = tmp_path_factory.mktemp("printed")
    ref = a_school_from_last_term(central, "阳光小学")
    admin_user = add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id)
    base = f"/office/s/{ref.id}"
    with central.edit() as session:  # a name as the clerk typed it into the roster
        child = session.scalars(select(CentralChild).where(CentralChild.school_id == ref.id)).first()
        child.name = HOSTILE_NAME
        county = schools.create_county(session, "阳光区教育局")
        session.get(School, ref.id).county_id = county.id
        county_id = county.id
    admin = signed_in(server, admin_user)
    _import_hostile_titles(admin, base)
    kiosk = Kiosk(folder / "kiosk.sqlite3")
    kiosk.enrol(server.url, central.code(ref))
    live_until_now(kiosk, Afternoons(days=6, children=20, seed=23))
    _a_showing_the_kiosk_sent(kiosk)
    kiosk.sync()
    kiosk.close()

    files: dict[str, bytes] = {}
    archive = zipfile.ZipFile(io.BytesIO(_download(admin, f"{base}/archive", period=SEMESTER)))
    for name in archive.namelist():
        if not name.endswith("/"):
            files[name.replace("/", "-")] = archive.read(name)  # one folder, names LibreOffice keeps apart
    for slug in ("statistics", "contact", "register", "room", "lending", "assets", "incidents"):
        files[f"csv-{slug}.csv"] = _download(
            admin, f"{base}/reports/{slug}/export", format="csv", period=SEMESTER
        )
    bureau = signed_in(server, add_user(central, OfficeRole.BUREAU_VIEWER, county_id=county_id))
    files["县区汇总.xlsx"] = _download(bureau, "/office/county/export", format="xlsx", period=SEMESTER)
    files["县区汇总.csv"] = _download(bureau, "/office/county/export", format="csv", period=SEMESTER)
    files["花名册.xlsx"] = _download(admin, f"{base}/roster/export", format="xlsx")
    files["花名册-csv.csv"] = _download(admin, f"{base}/roster/export", format="csv")
    files["花名册模板.xlsx"] = _download(admin, f"{base}/roster/template")
    files["图书与器材.xlsx"] = _download(admin, f"{base}/catalogue/export", format="xlsx")
    files["图书与器材-csv.csv"] = _download(admin, f"{base}/catalogue/export", format="csv")
    files["图书与器材模板.xlsx"] = _download(admin, f"{base}/catalogue/template")

    paths = {}
    for name, content in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(content)
    pdfs = {}
    for is_csv in (False, True):
        chosen = [p for p in paths.values() if (p.suffix == ".csv") == is_csv]
        into = folder / ("pdf-of-csv" if is_csv else "pdf")
        pdfs.update({p.name: pdf for p, pdf in to_pdf(chosen, into, csv=is_csv).items()})
    yield Printed(paths, pdfs, folder)


def _import_hostile_titles(admin: OfficeClient, base: str) -> None:
    """Titles as a school's CSV register holds them (in an XLSX, a cell typed =1+1 would be a formula)."""
    rows = [copy_row(f"XF00000{i}", title) for i, title in enumerate(HOSTILE_TITLES, start=1)]
    admin.get(f"{base}/catalogue")
    register = register_csv(rows, "utf-8-sig")
    preview = admin.post(f"{base}/catalogue/preview", files={"file": ("新书登记.csv", register)})
    assert preview.status == 200, preview.text[:300]
    done = admin.post(preview.url.replace(admin.base, "") + "/confirm")
    assert done.status == 200 and "新增 4 册" in done.text, preview.table("preview")


def _a_showing_the_kiosk_sent(kiosk: Kiosk) -> None:
    staff = kiosk.room.staff(0)
    showing = showings.open_showing(kiosk.uow, staff, ShowingMedium.TV, HOSTILE_SHOWING)
    showings.join_showing(kiosk.uow, kiosk.room.child(1), showing)
    kiosk.clock.advance(minutes=1)
    showings.close_showing(kiosk.uow, staff)


def test_every_report_prints_on_a4_with_its_title_totals_notes_and_the_lines_to_sign(
    printed: Printed,
) -> None:
    reports = [
        name for name in printed.files if name[:2].isdigit() and name.split("-", 1)[1][:-5] in REPORT_WORDS
    ]
    assert len(reports) == 7
    for name in reports:
        title = name.split("-", 1)[1].removesuffix(".xlsx")
        text = text_of(printed.pdfs[name])
        flat = " ".join(text.split())
        assert title in flat, name
        for words in REPORT_WORDS[title] + SIGN_OFF:
            assert " ".join(words.split()) in flat, (name, words)
        assert f"{title} · {title}" not in flat  # one title
        sizes = page_sizes(printed.pdfs[name])
        assert sizes and all(is_a4(size) for size in sizes), (name, sizes)
        first_page_png(printed.pdfs[name], PICTURES / f"{Path(name).stem}.png")
    others = [name for name in printed.files if name[:2].isdigit() and name not in reports]
    for name in others:  # the archive's other forms (the care network's): printed on A4 too
        sizes = page_sizes(printed.pdfs[name])
        assert sizes and all(is_a4(size) for size in sizes), (name, sizes)
        assert text_of(printed.pdfs[name]).strip(), name
    statistics = text_of(printed.pdfs["01-每学期留守儿童统计表.xlsx"])
    assert "不满十六周岁" in statistics  # the definition prints under every table of the form


def test_the_bureau_overview_the_roster_and_the_catalogue_print_on_a4(printed: Printed) -> None:
    for name, words in (
        ("县区汇总.xlsx", ["县区汇总", "阳光小学", "其中国家口径", "合计", *SIGN_OFF]),
        ("花名册.xlsx", ["阳光小学", "花名册", HOSTILE_NAME]),
        ("花名册模板.xlsx", ["花名册"]),
        ("图书与器材.xlsx", ["图书与器材", *HOSTILE_TITLES]),
        ("图书与器材模板.xlsx", ["图书与器材"]),
    ):
        text = " ".join(text_of(printed.pdfs[name]).split())
        for word in words:
            assert word in text, (name, word)
        sizes = page_sizes(printed.pdfs[name])
        assert sizes and all(is_a4(size) for size in sizes), (name, sizes)
        first_page_png(printed.pdfs[name], PICTURES / f"{Path(name).stem}.png")


def test_no_export_holds_a_live_formula(printed: Printed) -> None:
    seen: set[str] = set()
    for name, path in printed.files.items():
        if path.suffix != ".xlsx":
            continue
        book = load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        assert cell.data_type == "s" and cell.quotePrefix, (name, cell.coordinate)
                        seen.add(cell.value)
    assert {HOSTILE_NAME, HOSTILE_SHOWING, *HOSTILE_TITLES} <= seen  # kept exactly as typed
    # LibreOffice shows the formula's text, not a link labelled 点我 or a sum of 2
    assets = " ".join(text_of(printed.pdfs["06-资产登记造册.xlsx"]).split())
    assert all(title in assets for title in HOSTILE_TITLES)
    room = " ".join(text_of(printed.pdfs["04-活动室使用情况.xlsx"]).split())
    assert HOSTILE_SHOWING in room


def test_csv_files_carry_the_owasp_apostrophe(printed: Printed) -> None:
    guarded: set[str] = set()
    for path in printed.files.values():
        if path.suffix != ".csv":
            continue
        text = path.read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for field in row:
                if field[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    float(field)  # only a number (a negative amount) may start so
                if field.startswith("'") and field[1:2] in ("=", "+", "-", "@"):
                    guarded.add(field[1:])
    assert {HOSTILE_NAME, HOSTILE_SHOWING, *HOSTILE_TITLES} <= guarded
    room = " ".join(text_of(printed.pdfs["csv-room.csv"]).split())
    assert "'" + HOSTILE_SHOWING in room  # LibreOffice shows it as text, apostrophe and all
