"""A school library of 5,000 titles in the office: the list comes fifty titles a page with the next and
previous pages linked, a title deep in the list is found by its name, its author or a copy's barcode,
and the administrator opens it from the result to correct it. The titles are loaded through the
catalogue import itself (three registers of about 2,200 copies; one file holds at most 3,000 rows)."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from sync.server.models import OfficeRole
from sync.server.office.catalogue import catalogue_import
from tests.sync.conftest import Central
from tests.sync.office.cataloguefiles import copy_row, csv_bytes
from tests.sync.office.conftest import OfficeSchool, add_user
from tests.sync.office.officeclient import OfficeClient

pytestmark = pytest.mark.slow

TITLES = 5000
SERIES = [
    "十万个为什么",
    "中国神话故事",
    "安徒生童话",
    "格林童话",
    "唐诗三百首",
    "成语故事",
    "科学探索",
    "自然百科",
]
AUTHORS = ["编委会", "叶圣陶", "冰心", "曹文轩", "郑渊洁", "杨红樱", "孙幼军", "张天翼", "林海音", None]
KINDS = ["图书"] * 8 + ["报刊", "体育器材"]


def register_rows(rng: random.Random) -> list[list[object]]:
    """Titles as a library holds them: series in numbered volumes, authors, some with two copies."""
    rows, barcode = [], 0
    for n in range(TITLES):
        title = f"{SERIES[n % len(SERIES)]}（第{n // len(SERIES) + 1}册）"
        author = rng.choice(AUTHORS) or ""
        kind = KINDS[n % len(KINDS)]
        price = f"{rng.randint(8, 60)}.00"
        for _ in range(1 + (n % 3 == 0)):
            barcode += 1
            rows.append(copy_row(f"LB{barcode:06d}", title, kind=kind, author=author, price=price))
    return rows


def load_library(central: Central, school: OfficeSchool) -> list[list[object]]:
    rows = register_rows(random.Random(5))
    by_title: dict[str, list[list[object]]] = {}
    for row in rows:
        by_title.setdefault(str(row[2]), []).append(row)
    titles = list(by_title.values())
    third = -(-TITLES // 3)
    for part in (titles[:third], titles[third : 2 * third], titles[2 * third :]):
        content = csv_bytes([row for group in part for row in group], "utf-8-sig")
        sheet = catalogue_import.read_file("图书登记.csv", content)  # as the page: before any transaction
        with central.edit() as session:
            staged = catalogue_import.preview(
                session, school.id, school.admin.id, "图书登记.csv", sheet, today=date(2026, 11, 1)
            )
            done = catalogue_import.confirm(session, staged)
            assert done["new"] == sum(len(group) for group in part), done
    return rows


def listed(office: OfficeClient, base: str, **params: object):
    page = office.get(f"{base}/catalogue", **params)
    assert page.status == 200
    return page, [row[0] for row in page.table("catalogue")[1:]]


def test_five_thousand_titles_page_by_page_and_found_by_search(central: Central, client) -> None:
    ref = central.new_school("书香小学", demo=False)  # its library is only what this test loads
    school = OfficeSchool(ref, add_user(central, OfficeRole.SCHOOL_ADMIN, school_id=ref.id))
    rows = load_library(central, school)
    office = client(school.admin)
    base = school.base
    first, names = listed(office, base)
    assert len(names) == 50
    assert "第 1 / 100 页，共 5000 种" in first.text
    assert 'rel="prev"' not in first.text
    following = re.search(r'href="([^"]+)">下一页', first.text).group(1).replace("&amp;", "&")
    second = office.get(following)
    second_names = [row[0] for row in second.table("catalogue")[1:]]
    assert len(second_names) == 50 and not set(second_names) & set(names)
    assert "第 2 / 100 页" in second.text and 'rel="prev"' in second.text
    last, last_names = listed(office, base, page=100)
    assert 0 < len(last_names) <= 50 and 'rel="next"' not in last.text
    assert "第 100 / 100 页" in listed(office, base, page=999)[0].text  # past the end: the last page
    assert len(first.text) < 400_000  # fifty titles, not five thousand

    deep = "自然百科（第587册）"  # near the end of the list
    found, found_names = listed(office, base, q=deep)
    assert found_names == [deep] and "共 1 种" in found.text
    barcode = next(str(r[1]) for r in rows if r[2] == deep)
    assert listed(office, base, q=barcode)[1] == [deep]
    _, by_author = listed(office, base, q="曹文轩")
    assert by_author and "第 1 / " in _.text
    _, periodicals = listed(office, base, kind="periodical", page=2)
    assert len(periodicals) == 50

    edit = re.search(r'href="(/office/s/[^"]+/catalogue/items/[^"]+)">' + re.escape(deep), found.text)
    assert edit is not None
    assert office.get(edit.group(1)).status == 200
