"""Names and titles as schools type them, on the child's own screens: a title holding [b], ] and &
is shown as typed (not read as markup), and children named 王𠈌 (CJK Extension B) and 刘䶮
(Extension A) are greeted by name in both languages, without a box."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from kivy.uix.label import Label

from db.enums import ItemKind
from kiosk.ui import fonts
from tests.conftest import Room
from tests.ui.layout import problems, rendered, visible
from tests.ui.long_strings import MARKUP_TITLE, RARE_NAMES, rename_child, retitle


def shown_words(kiosk: Any) -> list[str]:
    """What each visible label really drew (Kivy's laid-out words), without spaces."""
    labels = [w for w in kiosk.widgets() if isinstance(w, Label) and w.text and visible(w)]
    return ["".join(rendered(w).split()) for w in labels]


def test_a_title_with_brackets_and_an_ampersand_is_shown_as_typed(kiosk: Any, room: Room) -> None:
    [barcode] = room.barcodes(ItemKind.BOOK)
    retitle(room, barcode, MARKUP_TITLE)
    kiosk.card(room.card_of(0))
    kiosk.press("借书")
    kiosk.scan(barcode)
    assert kiosk.sees("借到了")
    typed = "".join(MARKUP_TITLE.split())
    drawn = shown_words(kiosk)
    assert any(f"借到了《{typed}》" in words for words in drawn), drawn  # the band
    assert any(words.startswith(typed) for words in drawn), drawn  # 我借的
    kiosk.screenshot("70-title-with-markup-characters")
    assert not problems(kiosk.widgets(), fonts.find_cjk_font())


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_children_with_rare_characters_are_greeted_by_name(
    start_kiosk: Callable[..., Any], room: Room, locale: str
) -> None:
    for n, name in enumerate(RARE_NAMES, start=1):
        rename_child(room, n, name)
    kiosk = start_kiosk(locale=locale)
    for n, name in enumerate(RARE_NAMES, start=1):
        kiosk.card(room.card_of(n))
        greeting = kiosk.app.child_screen.greeting
        assert "[font=KioskRare" in greeting.text  # the rare character is drawn by Hanazono
        assert name in "".join(rendered(greeting).split())
        assert not problems(kiosk.widgets(), fonts.find_cjk_font())  # no box anywhere on the screen
        kiosk.screenshot(f"71-greeting-{name}-{locale}")
        kiosk.app.go_idle()
        kiosk.settle()
