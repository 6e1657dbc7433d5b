"""Class names as schools write them, read for what they say: the grade and the class number.

One class is written many ways: 三年级(2)班, 三年级（2）班, 三年级2班, 三(2)班, 3年级2班, and a
junior-middle class as 初一(1)班 or 七年级(1)班. A roster names its class in a 班级 column, in the
sheet's name or in the title over the table ("张大庙小学三年级(2)班留守儿童花名册"). Matching goes by
(stage, grade, number), so a file's 三年级2班 is the school's 三年级(2)班; a class the school does not
have yet is offered under the name the file gives it, with the grade read from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = r"(\d{1,2}|十[一二三四五六七八九]?|[一二三四五六七八九十])"
_PRIMARY = re.compile(rf"([1-9]|[一二三四五六七八九])年级\s*[(（]?\s*{_NUMBER}\s*[)）]?\s*班")
_SHORT = re.compile(rf"(?<![年初高小中大\d])([一二三四五六])\s*[(（]\s*{_NUMBER}\s*[)）]\s*班")
_MIDDLE = re.compile(rf"([初高])([一二三])\s*[(（]?\s*{_NUMBER}?\s*[)）]?\s*班")
_NURSERY = re.compile(rf"(小|中|大)\s*[(（]?\s*{_NUMBER}?\s*[)）]?\s*班")


@dataclass(frozen=True, order=True)
class ClassKey:
    grade: int  # 1-6 primary, 7-9 初一-初三 (七-九年级), 10-12 高一-高三; 0 for a kindergarten class
    number: int  # the class within its grade (1 when the name gives none)
    nursery: str = ""  # 小 / 中 / 大 for kindergarten classes


@dataclass(frozen=True)
class ClassName:
    text: str  # as found, full-width folded, spaces removed: 三年级(2)班, 初一(1)班, 三年级2班
    key: ClassKey


def _number(text: str | None) -> int:
    if not text:
        return 1
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_DIGITS[text[1]] if len(text) > 1 else 0)
    return _DIGITS[text]


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def find_class(text: str) -> ClassName | None:
    """The first class named in `text` (a cell, a sheet's name, a title), or None."""
    folded = _folded(text)
    for pattern, reader in (
        (_PRIMARY, lambda m: ClassKey(_grade(m.group(1)), _number(m.group(2)))),
        (
            _MIDDLE,
            lambda m: ClassKey(_DIGITS[m.group(2)] + (6 if m.group(1) == "初" else 9), _number(m.group(3))),
        ),
        (_SHORT, lambda m: ClassKey(_DIGITS[m.group(1)], _number(m.group(2)))),
        (_NURSERY, lambda m: ClassKey(0, _number(m.group(2)), m.group(1))),
    ):
        found = pattern.search(folded)
        if found:
            return ClassName(found.group(0), reader(found))
    return None


def _grade(text: str) -> int:
    return int(text) if text.isdigit() else _DIGITS[text]


def key_of(name: str) -> ClassKey | None:
    """What a whole class name says (None when it is not one this module can read: then only the
    very same name matches)."""
    found = find_class(name)
    return found.key if found is not None and found.text == _folded(name) else None


def same_class(name: str, known: dict[str, ClassKey | None]) -> str | None:
    """The school's name for the class `name` stands for: the same text, or the same grade and
    number written another way; None when the school has no such class."""
    folded = _folded(name)
    if folded in known:
        return folded
    key = key_of(folded)
    if key is None:
        return None
    matches = [school_name for school_name, school_key in known.items() if school_key == key]
    return matches[0] if len(matches) == 1 else None
