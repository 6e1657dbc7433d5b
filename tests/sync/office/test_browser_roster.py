"""A school's first rosters in a real browser (headless Chromium through Playwright) against the real
server: the township's form uploaded unchanged — previewed with no question asked, the classes it names
listed and ticked, confirmed; then a file with the school's own headings — the preview asks only about
those, the clerk picks what each is, the rows are checked again and confirmed; the child's page shows a
fact the file did not give as 未填, and the 统计表 counts them under the official definition at once.
Screenshots at 1366×768 and 390×844 go to artifacts/screenshots/office-roster/; axe-core finds nothing
critical or serious on any of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.server.models import OfficeRole
from tests.support.processes import REPO
from tests.sync.conftest import Central
from tests.sync.office.axe import SERIOUS, violations
from tests.sync.office.chromium import launched, needs_chromium
from tests.sync.office.conftest import add_user
from tests.sync.office.roster_pages import kept_children
from tests.sync.office.school_rosters import OWN_WORDS_MAPPING, own_words, pupils, township_form

pytest.importorskip("playwright.sync_api")
SHOTS = REPO / "artifacts" / "screenshots" / "office-roster"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
pytestmark = [
    pytest.mark.slow,
    needs_chromium,
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with launched() as browser:
        yield browser


@pytest.mark.parametrize("size", SIZES)
def test_a_schools_rosters_uploaded_unchanged(
    chromium, server, central: Central, backend: str, size: str, tmp_path: Path
) -> None:
    ref = central.new_school("城关镇中心小学", demo=False)
    clerk = add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id)
    base = f"{server.url}/office/s/{ref.id}"
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    folder = SHOTS / backend / size
    folder.mkdir(parents=True, exist_ok=True)
    shots = iter(range(1, 100))
    found = []

    def shot(name: str) -> None:
        """A screenshot, and axe-core's findings on the page as it stands."""
        page.screenshot(path=str(folder / f"{next(shots):02d}-{name}.png"), full_page=True)
        found.extend(v for v in violations(page, f"{size} {name}") if v.impact in SERIOUS)

    def choose_file(path: Path) -> None:
        page.goto(f"{base}/roster")
        page.set_input_files("#file", str(path))
        page.click("form[enctype] button[type=submit]")
        page.wait_for_url("**/roster/imports/**")

    try:
        page.goto(f"{server.url}/office/")
        page.fill("#username", clerk.username)
        page.fill("#password", clerk.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/office/**")

        children = pupils(12, seed=51)
        form = tmp_path / "城关镇中心小学2026年秋季留守儿童花名册.xlsx"
        form.write_bytes(township_form(children))
        choose_file(form)
        assert page.locator("form[data-form=columns]").count() == 0  # nothing to ask
        ticked = page.locator("input[name=new_class]:checked")
        assert ticked.count() == 5
        statuses = page.eval_on_selector_all(
            "table[data-table=preview] tbody tr", "rows => rows.map(r => r.cells[1].innerText.trim())"
        )
        assert statuses == ["新增"] * 12
        assert "身份证件号" in page.inner_text("main")
        shot("township-form-preview")
        page.click("text=确认导入 12 行")
        page.wait_for_url("**/roster?done=*")
        assert "新增 12 人" in page.inner_text("main")
        shot("township-form-done")

        mine = tmp_path / "我们班的表.xlsx"
        more = pupils(6, seed=52, rare=False, classes=("一年级(1)班", "三年级(1)班"))
        mine.write_bytes(own_words(more))
        choose_file(mine)
        asking = page.locator("form[data-form=columns]")
        assert asking.count() == 1
        shot("own-headings-asked")
        for heading, field in OWN_WORDS_MAPPING.items():
            select = asking.locator(f"label:text-is('{heading}')").get_attribute("for")
            page.select_option(f"#{select}", value=field)
        asking.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("form[data-form=columns]").count() == 0
        shot("own-headings-mapped")
        page.click("text=确认导入 6 行")
        page.wait_for_url("**/roster?done=*")

        one_away = next(p for p in children if p.away != "both")
        child = kept_children(central, ref.id)[one_away.name].child
        page.goto(f"{base}/children/{child.id}")
        assert "未填" in page.inner_text("table[data-table=facts]")
        shot("child-with-unknown-fact")
        both_away = next(p for p in children if p.away == "both")
        page.goto(f"{base}/children/{kept_children(central, ref.id)[both_away.name].child.id}")
        assert both_away.relation in page.inner_text("main")  # the school's own word: 外婆, 伯父 …

        # the 统计表 right away: the official definition on top, its headline counting the children the
        # files make official (under 16, both parents away or one away and the other unable), and a fact
        # the file left open counted apart, as 未填
        page.goto(f"{base}/reports/statistics?period=semester:2026-autumn")
        main = page.inner_text("main")
        assert main.index("不满十六周岁") < main.index("农村留守儿童（国家统计口径）")
        figures = dict(
            page.eval_on_selector_all(
                ".figure",
                "cards => cards.map(c => [c.querySelector('.label').innerText.trim(),"
                " c.querySelector('.value').innerText.trim()])",
            )
        )
        kept = [k.child for k in kept_children(central, ref.id).values()]
        official = [c for c in kept if (c.father_away and c.mother_away) or c.home_parent_unable]
        open_fact = [c for c in kept if (c.father_away != c.mother_away) and c.home_parent_unable is None]
        assert len(kept) == 18 and official and open_fact
        assert figures["农村留守儿童（国家统计口径）"] == str(len(official)), figures
        assert figures["本期在册留守儿童"] == "18" and figures["其中信息未填、暂不能归类"] == str(
            len(open_fact)
        )
        shot("statistics-after-import")
        assert found == [], "\n".join(map(str, found))
    finally:
        context.close()
