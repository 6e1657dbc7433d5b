"""The pictures a child reads before she reads words: one for each thing the room lends, each person
she may call, each reason and choice; from OpenMoji, kept with its licence, and no file the kiosk
does not show."""

from __future__ import annotations

import struct
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from db.demo_vocabulary import EQUIPMENT
from db.enums import CallKind, CallReason, ItemKind, Relation, ReturnCondition
from kiosk.ui import pictures

# Titles as rooms write them in their registers (varied on purpose: sizes, pairs, brand notes).
REGISTER_TITLES = [
    ("小篮球（5号）", ItemKind.SPORTS, "basketball"),
    ("乒乓球拍（一副）", ItemKind.SPORTS, "table_tennis"),
    ("红双喜乒乓球", ItemKind.SPORTS, "table_tennis"),
    ("羽毛球拍(一副)", ItemKind.SPORTS, "badminton"),
    ("花毽子", ItemKind.SPORTS, "shuttlecock"),
    ("儿童跳绳", ItemKind.SPORTS, "skipping_rope"),
    ("中国象棋（大号）", ItemKind.CHESS, "xiangqi"),
    ("国际象棋", ItemKind.CHESS, "chess"),
    ("军棋 陆战棋", ItemKind.CHESS, "junqi"),
    ("玻璃珠跳棋", ItemKind.CHESS, "checkers"),
    ("五子棋", ItemKind.CHESS, "go"),
    ("飞行棋", ItemKind.CHESS, "flying_chess"),
    ("Jump Rope", ItemKind.SPORTS, "skipping_rope"),
    ("呼啦圈", ItemKind.SPORTS, "medal"),  # no word for it: the kind's picture, never a wrong one
    ("魔方", ItemKind.OTHER, "package"),
]


def png_size(name: str) -> tuple[int, int]:
    data = pictures.picture(name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", name
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_thing_in_the_demo_catalogue_has_a_picture_of_its_own() -> None:
    chosen = {title: pictures.equipment_picture(title, ItemKind(kind)).stem for title, kind, *_ in EQUIPMENT}
    assert len(set(chosen.values())) == len(chosen), chosen  # 跳棋 and 跳绳 are no longer both 跳
    assert not set(chosen.values()) & set(pictures.KIND_PICTURES.values()), chosen


@pytest.mark.parametrize(("title", "kind", "expected"), REGISTER_TITLES)
def test_a_register_title_finds_its_picture(title: str, kind: ItemKind, expected: str) -> None:
    assert pictures.equipment_picture(title, kind).stem == expected


def test_every_person_reason_kind_and_condition_has_a_picture() -> None:
    shown = (
        [pictures.relation_picture(r) for r in Relation]
        + [pictures.reason_picture(r) for r in CallReason]
        + [pictures.call_kind_picture(k) for k in CallKind]
        + [pictures.condition_picture(c) for c in ReturnCondition]
        + [pictures.equipment_picture("", k) for k in ItemKind]
    )
    assert all(path.is_file() for path in shown)
    people = [pictures.relation_picture(r).stem for r in Relation]
    assert len(set(people)) == len(people)  # 爸爸, 妈妈, 爷爷奶奶 … each its own face


def test_the_folder_holds_exactly_the_pictures_used_with_licence_and_sources() -> None:
    files = {path.stem for path in pictures.FOLDER.glob("*.png")}
    assert files == pictures.every_picture_named()
    licence = (pictures.FOLDER / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0 International" in licence
    sources = (pictures.FOLDER / "SOURCES.md").read_text(encoding="utf-8")
    assert "OpenMoji" in sources and "scripts/make_pictures.py" in sources
    assert all(f"`{name}.png`" in sources for name in files)


def test_pictures_are_square_pngs_big_enough_for_the_largest_screen() -> None:
    for name in pictures.every_picture_named():
        width, height = png_size(name)
        assert width == height >= 128, (name, width, height)


def test_the_kiosk_package_carries_every_picture_and_sound_it_plays() -> None:
    """deploy/install.sh installs the kiosk with pip from the source: only package data travels."""
    repo = Path(__file__).resolve().parents[1]
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["kiosk.ui"]
    ui = repo / "kiosk" / "ui"
    assets = [path.relative_to(ui).as_posix() for path in (ui / "assets").rglob("*") if path.is_file()]
    left_out = [name for name in assets if not any(fnmatch(name, pattern) for pattern in patterns)]
    assert assets and not left_out
