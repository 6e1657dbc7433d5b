"""The words schools write in a roster's closed columns, read into the roster's model.

- Who the temporary guardian is to the child: 祖父, 外婆, 爷爷, 伯父, 姑姑, 舅舅, 哥哥, 其他亲属 … A
  word maps to the kind of contact the kiosk knows (a grandparent, another relative, a guardian who
  is not family) and is kept as written, for the office to show: 外婆 stays 外婆.
- The guardian type (监护类型 / 监护情况) in its many spellings; when no column gives it, it is read
  from who the guardian is (a grandparent: 祖辈监护; an uncle or a neighbour: 亲朋监护; the parent at
  home: 父母单方监护), and otherwise left unknown.
- Which parent works away (外出情况 / 留守类型 in one column, or one yes/no column per parent) and
  whether the parent at home can care for the child. A fact the file does not give — an empty cell,
  未填, a column that is not there — is unknown (None), never "no" or "able": the official count
  depends on it (domain.md).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from db.enums import GuardianType, Relation
from sync.server.office.fields import FieldProblem

UNKNOWN_WORDS = frozenset({"", "未填", "不详", "不清楚", "未知", "待填", "—", "-", "/"})
RELATION_MAX = 12

_RELATIONS: dict[str, Relation] = {
    **dict.fromkeys(
        (
            "祖父",
            "祖母",
            "外祖父",
            "外祖母",
            "外公",
            "外婆",
            "爷爷",
            "奶奶",
            "姥姥",
            "姥爷",
            "祖父母",
            "外祖父母",
            "爷爷奶奶",
            "外公外婆",
            "太爷爷",
            "太奶奶",
            "曾祖父",
            "曾祖母",
            "grandparent",
        ),
        Relation.GRANDPARENT,
    ),
    **dict.fromkeys(
        (
            "伯父",
            "伯母",
            "伯伯",
            "大伯",
            "叔叔",
            "叔父",
            "婶婶",
            "婶母",
            "姑姑",
            "姑妈",
            "姑父",
            "姑丈",
            "舅舅",
            "舅父",
            "舅妈",
            "舅母",
            "姨妈",
            "姨母",
            "姨父",
            "姨夫",
            "阿姨",
            "哥哥",
            "姐姐",
            "兄",
            "姐",
            "堂兄",
            "堂姐",
            "表兄",
            "表姐",
            "表哥",
            "其他亲属",
            "亲属",
            "亲戚",
            "other_relative",
        ),
        Relation.OTHER_RELATIVE,
    ),
    **dict.fromkeys(
        (
            "临时监护人",
            "监护人",
            "代理监护人",
            "委托监护人",
            "邻居",
            "朋友",
            "老师",
            "其他",
            "temporary_guardian",
        ),
        Relation.TEMPORARY_GUARDIAN,
    ),
    **dict.fromkeys(("父亲", "爸爸", "父", "father"), Relation.FATHER),
    **dict.fromkeys(("母亲", "妈妈", "母", "mother"), Relation.MOTHER),
}

# The word the office itself shows for each kind (and writes in its export): a school that writes it
# adds nothing to keep.
PLAIN_WORDS: dict[Relation, str] = {
    Relation.TEMPORARY_GUARDIAN: "临时监护人",
    Relation.GRANDPARENT: "祖父母",
    Relation.OTHER_RELATIVE: "亲戚",
}

_GUARDIAN_TYPES: dict[str, GuardianType] = {
    **dict.fromkeys(
        ("祖辈监护", "祖辈", "隔代监护", "隔代", "祖父母监护", "爷爷奶奶监护", "grandparents"),
        GuardianType.GRANDPARENTS,
    ),
    **dict.fromkeys(
        (
            "父母单方监护",
            "单方监护",
            "父亲监护",
            "母亲监护",
            "父母一方监护",
            "一方监护",
            "单亲监护",
            "one_parent",
        ),
        GuardianType.ONE_PARENT,
    ),
    **dict.fromkeys(
        (
            "亲朋监护",
            "亲朋",
            "亲戚监护",
            "亲友监护",
            "亲属监护",
            "亲戚朋友监护",
            "委托监护",
            "relatives_friends",
        ),
        GuardianType.RELATIVES_FRIENDS,
    ),
    **dict.fromkeys(
        ("单亲或孤儿", "单亲", "孤儿", "单亲家庭", "single_parent_or_orphan"),
        GuardianType.SINGLE_PARENT_OR_ORPHAN,
    ),
}

_AWAY: dict[str, tuple[bool, bool]] = {
    **dict.fromkeys(
        ("父母均外出", "双方外出", "父母双方外出", "均外出", "父母外出", "双亲外出", "父母都外出", "both"),
        (True, True),
    ),
    **dict.fromkeys(("父亲外出", "仅父亲外出", "父外出", "father"), (True, False)),
    **dict.fromkeys(("母亲外出", "仅母亲外出", "母外出", "mother"), (False, True)),
    **dict.fromkeys(("均未外出", "父母均未外出", "无", "neither"), (False, False)),
}

_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有", "外出", "在外"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "不是", "无", "在家", "未外出"})


def word(value: Any) -> str:
    """A cell as a word: full-width folded, spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def is_unknown(value: Any) -> bool:
    return word(value) in UNKNOWN_WORDS


def relation(value: Any) -> tuple[Relation, str | None] | None:
    """(the kind of contact, the school's word to keep) for who the guardian is; the word is None when
    it is the office's own for that kind. None when the cell is empty."""
    text = word(value)
    if text in UNKNOWN_WORDS or text == "无":
        return None
    found = _RELATIONS.get(text.lower())
    if found is None:
        raise FieldProblem("relation_invalid")
    return found, None if PLAIN_WORDS.get(found) == text else text[:RELATION_MAX]


def guardian_type(value: Any) -> GuardianType | None:
    text = word(value).lower()
    if text in UNKNOWN_WORDS:
        return None
    if text not in _GUARDIAN_TYPES:
        raise FieldProblem("guardian_invalid")
    return _GUARDIAN_TYPES[text]


def guardian_type_from(
    relation_kind: Relation | None, father_away: bool | None, mother_away: bool | None
) -> GuardianType | None:
    """The guardian type when no column says it: from who the guardian is, or, with one parent away
    and the other known to be at home and no other guardian named, that parent."""
    if relation_kind is Relation.GRANDPARENT:
        return GuardianType.GRANDPARENTS
    if relation_kind in (Relation.OTHER_RELATIVE, Relation.TEMPORARY_GUARDIAN):
        return GuardianType.RELATIVES_FRIENDS
    if relation_kind in (Relation.FATHER, Relation.MOTHER):
        return GuardianType.ONE_PARENT
    if relation_kind is None and {father_away, mother_away} == {True, False}:
        return GuardianType.ONE_PARENT
    return None


def yes_no(value: Any) -> bool | None:
    text = word(value).lower()
    if text in UNKNOWN_WORDS:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FieldProblem("yes_no_invalid")


def parents_away(value: Any) -> tuple[bool, bool] | None:
    """外出情况 / 留守类型 in one column: (father away, mother away); None when it does not say."""
    text = word(value).lower()
    if text in UNKNOWN_WORDS:
        return None
    if text not in _AWAY:
        raise FieldProblem("away_invalid")
    return _AWAY[text]
