"""Stored text into the kiosk's markup: escaped once, never twice, rare characters in a font that has
them, and our own tags kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui import markup
from kiosk.ui.glyphs import coverage
from kiosk.ui.markup import Fallback, Markup, bold, escape

TITLE = "《[b]小王子》& Tom]"  # a title as a school typed it into its register


@pytest.fixture
def hanazono() -> Iterator[None]:
    before = markup.routing()
    markup.use_fonts(
        coverage(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
        [
            Fallback("RareA", coverage(Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"))),
            Fallback("RareB", coverage(Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"))),
        ],
    )
    yield
    markup._routing = before


def test_brackets_and_ampersands_become_entities_once() -> None:
    shown = escape(TITLE)
    assert shown == "《&bl;b&br;小王子》&amp; Tom&br;"
    assert escape(shown) == shown  # already markup: left alone
    assert "[" not in shown and "]" not in shown


def test_joining_markup_and_stored_text_escapes_only_the_stored_part() -> None:
    name = bold("王[小]明")
    assert name == "[b]王&bl;小&br;明[/b]"
    assert name + " & 1" == "[b]王&bl;小&br;明[/b] &amp; 1"
    assert "《" + name == "《[b]王&bl;小&br;明[/b]"
    assert Markup("{who}，签到成功！").format(who=name) == "[b]王&bl;小&br;明[/b]，签到成功！"
    assert Markup("{who}，签到成功！").format(who="A&B") == "A&amp;B，签到成功！"
    assert Markup(" · ").join([name, "[x]"]) == "[b]王&bl;小&br;明[/b] · &bl;x&br;"
    assert isinstance(name + "x", Markup) and isinstance("x" + name, Markup)


def test_numbers_in_a_sentence_stay_numbers() -> None:
    assert Markup("共 {minutes} 分钟").format(minutes=1440) == "共 1440 分钟"


def test_rare_characters_go_to_the_first_fallback_that_draws_them(hanazono: None) -> None:
    assert escape("王𠈌") == "王[font=RareA]𠈌[/font]"
    assert escape("刘䶮") == "刘[font=RareA]䶮[/font]"
    assert escape("𠀁𠀂x") == "[font=RareB]𠀁𠀂[/font]x"  # only in B; one run for neighbours
    assert escape("[𠈌]") == "&bl;[font=RareA]𠈌[/font]&br;"
    assert escape("王小明") == "王小明"  # the usual name costs nothing


def test_without_fallback_fonts_rare_characters_are_left_as_they_are() -> None:
    assert markup.GlyphRouting().font_for("𠈌") is None
