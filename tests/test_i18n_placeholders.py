"""Both languages say the same thing with the same blanks: a key missing in one falls back mid-screen,
and a blank ({minutes}, {ticket} …) missing in one is a sentence that silently drops the number."""

from __future__ import annotations

from string import Formatter

from kiosk.platform.words import CATALOGUES


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_every_word_is_in_both_languages_with_the_same_blanks() -> None:
    zh, en = CATALOGUES["zh_CN"], CATALOGUES["en"]
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    different = {key: (blanks(zh[key]), blanks(en[key])) for key in zh if blanks(zh[key]) != blanks(en[key])}
    assert not different, different
