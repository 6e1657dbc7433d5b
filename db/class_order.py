"""Classes in the order people read them: 幼儿园 小班 / 中班 / 大班, then 一年级(1)班 … 六年级(2)班, then
初一 … 初三 (七 … 九年级), then 高一 … 高三 — by stage, grade and class number, never by character code
(which puts 三年级 before 二年级 and 四年级 last).

One sort key for every list of classes (reports, charts, exports, pickers, the kiosk's class picker),
read from the name as schools write it: 三年级(2)班, 三年级（2）班, 三年级2班, 三年级二班, 3年级2班, 三(2)班,
初二(1)班, 七年级1班, 大班(2), 学前班. The grade a school gave the class (1-12) stands in where the name says
nothing the rules can read (a class called 向日葵班); such a class sorts after the named ones of its
grade. Pure Python, so the server and the kiosk share it (see tests/test_layering.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

KINDERGARTEN, PRIMARY, JUNIOR, SENIOR, UNKNOWN = range(5)

_SPELT = ("〇零", "一", "二两", "三", "四", "五", "六", "七", "八", "九")
_DIGITS = {ch: n for n, chars in enumerate(_SPELT) for ch in chars}
# 小小班 / 托班 (under three) come before 小班; 学前班 (the year before school) after 大班.
_KINDERGARTEN = [("托班", 0), ("小小班", 0), ("小班", 1), ("中班", 2), ("大班", 3), ("学前班", 4)]
_NUMBER = r"[0-9０-９〇零一二两三四五六七八九十]+"
_GRADE = re.compile(rf"^(?P<grade>{_NUMBER})\s*年级")
_SHORT_PRIMARY = re.compile(r"^(?P<grade>[一二三四五六1-6１-６])(?=[（(])")  # 三(2)班
_JUNIOR = re.compile(r"^(?:初中|初)\s*(?P<grade>[一二三1-3１-３])")
_SENIOR = re.compile(r"^(?:高中|高)\s*(?P<grade>[一二三1-3１-３])")
_CLASS_NO = re.compile(rf"(?P<number>{_NUMBER})\s*[)）]?\s*班?\s*$")


class ClassKey(NamedTuple):
    stage: int
    grade: int
    named: int  # 0 when the name gave stage and grade, 1 when the school's grade stood in
    number: int
    name: str


def number_of(text: str) -> int | None:
    """12, １２, 十二, 二十一, 两 — as schools write a grade or a class number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _read(name: str) -> tuple[int, int, str] | None:
    """(stage, grade within the stage, the rest of the name) as the name says, or None."""
    text = re.sub(r"\s+", "", name)
    for prefix in ("幼儿园", "小学", "初中部", "高中部"):
        text = text.removeprefix(prefix)
    for word, grade in _KINDERGARTEN:
        bare = word.removesuffix("班")
        if text.startswith(word):
            return KINDERGARTEN, grade, text[len(word) :]
        if word != "学前班" and re.match(rf"^{bare}[（(]", text):
            return KINDERGARTEN, grade, text[len(bare) :]
    for pattern, stage in ((_JUNIOR, JUNIOR), (_SENIOR, SENIOR)):
        match = pattern.match(text)
        if match:
            return stage, number_of(match.group("grade")) or 0, text[match.end() :]
    match = _GRADE.match(text) or _SHORT_PRIMARY.match(text)
    if match:
        return (*_school_year(number_of(match.group("grade")) or 0), text[match.end("grade") :])
    return None


def _school_year(year: int) -> tuple[int, int]:
    """一 … 六年级 are primary; 七 … 九年级 the junior middle school's 初一 … 初三; 十 … 十二 senior."""
    if year <= 6:
        return PRIMARY, year
    if year <= 9:
        return JUNIOR, year - 6
    return SENIOR, year - 9


def _class_number(rest: str) -> int:
    """The class's number within its grade ((2)班, 二班, 2班) from what follows the grade; 0 if none."""
    match = _CLASS_NO.search(rest.removeprefix("年级"))
    return (number_of(match.group("number")) or 0) if match else 0


def class_key(name: str, grade: int | None = None) -> ClassKey:
    """The sort key of a class called `name`; `grade` is the school's own 1-12 for the class, if known."""
    found = _read(name)
    if found is not None:
        stage, year, rest = found
        return ClassKey(stage, year, 0, _class_number(rest), name)
    if grade is not None and grade >= 1:
        stage, year = _school_year(grade)
        return ClassKey(stage, year, 1, _class_number(name), name)
    return ClassKey(UNKNOWN, 0, 1, _class_number(name), name)


def in_class_order(names: list[str], grades: dict[str, int] | None = None) -> list[str]:
    """The names sorted by class_key, each with its school grade from `grades` where given."""
    known = grades or {}
    return sorted(names, key=lambda name: class_key(name, known.get(name)))


def school_grade(name: str) -> int | None:
    """The school year 1-12 a class name says (初二 is 8), None for a kindergarten class or a name
    that says none: what a new class is given when a roster names it."""
    found = _read(name)
    if found is None or found[0] == KINDERGARTEN:
        return None
    stage, year, _rest = found
    return year + {PRIMARY: 0, JUNIOR: 6, SENIOR: 9}[stage]
