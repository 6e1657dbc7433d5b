"""Both catalogues carry the same keys (a screen never falls back mid-sentence), and every relation a
child's callee can have has a word in the reminder."""

from db.enums import Relation
from kiosk.platform.words import CATALOGUES, contact_reminder


def test_zh_cn_and_en_carry_the_same_keys() -> None:
    assert set(CATALOGUES["zh_CN"]) == set(CATALOGUES["en"])


def test_every_relation_can_be_named_in_the_reminder() -> None:
    for locale, catalogue in CATALOGUES.items():
        for relation in Relation:
            assert f"reminder.who.{relation.value}" in catalogue, (locale, relation)
    assert contact_reminder([], "en") == ""
