"""How the office reads one field, wherever it was typed: a roster spreadsheet, the edit form.
(The catalogue's own fields — barcodes, ISBNs, prices — are in catalogue_fields, built on `text`.)

Each reader returns the clean value or raises FieldProblem with a code the pages translate. Limits are
the database's (a name is at most 40 characters, as on the kiosk), so nothing accepted here can fail
later in a kiosk's pull. Spreadsheets spell things many ways (男/M, 2015/3/2, 是/√); the readers accept
the spellings schools use and refuse the rest rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any, TypeVar

from db.enums import GuardianType, Relation
from sync.server.models import CareAssessment, Gender

T = TypeVar("T")
NAME_MAX = 40
STUDENT_NO_MAX = 20
EARLIEST_BIRTHDAY = date(1990, 1, 1)


class FieldProblem(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def text(value: Any) -> str:
    """A cell as text: numbers that Excel stored as floats lose their ".0"; whitespace is trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def free_text(value: Any) -> str:
    """A note as typed (Chinese punctuation kept), only trimmed; control characters other than line
    ends are dropped."""
    raw = "" if value is None else str(value)
    kept = "".join(ch for ch in raw if ch in "\n\t" or not unicodedata.category(ch).startswith("C"))
    return kept.strip()


def person_name(value: Any, *, required: bool = True) -> str:
    name = text(value)
    if not name:
        if required:
            raise FieldProblem("name_missing")
        return ""
    if len(name) > NAME_MAX:
        raise FieldProblem("name_too_long")
    if any(unicodedata.category(ch).startswith("C") for ch in name) or any(ch in "<>{}" for ch in name):
        raise FieldProblem("name_invalid")
    return name


def student_no(value: Any) -> str:
    number = text(value).replace(" ", "")
    if not number:
        raise FieldProblem("student_no_missing")
    if len(number) > STUDENT_NO_MAX or not re.fullmatch(r"[0-9A-Za-z-]+", number):
        raise FieldProblem("student_no_invalid")
    return number.upper()


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})$")


def phone(value: Any, *, required: bool = False) -> str:
    """A mainland mobile number (11 digits from 13x-19x) or a landline with its area code
    (0856-8120041); +86, spaces, dashes and brackets are tolerated and removed."""
    raw = text(value)
    if not raw:
        if required:
            raise FieldProblem("phone_missing")
        return ""
    cleaned = re.sub(r"[\s()（）]", "", raw)
    cleaned = re.sub(r"^(\+?86|0086)(?=1)", "", cleaned)
    digits = cleaned.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    landline = _LANDLINE.match(cleaned) or _LANDLINE.match(digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    raise FieldProblem("phone_invalid")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def calendar_day(value: Any, problem: str) -> date | None:
    """A date as a spreadsheet holds it: a real date cell, or text in the spellings schools use
    (2015-03-02, 2015/3/2, 2015.3.2, 20150302, 2015年3月2日); None when empty. Unreadable text raises
    `{problem}_invalid`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value).replace(" ", "")
    if not raw:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise FieldProblem(f"{problem}_invalid")


def birthday(value: Any, today: date, *, required: bool = False) -> date | None:
    day = calendar_day(value, "birthday")
    if day is None:
        if required:
            raise FieldProblem("birthday_missing")
        return None
    if not EARLIEST_BIRTHDAY <= day <= today:
        raise FieldProblem("birthday_out_of_range")
    return day


def _choice(value: Any, spellings: dict[str, T], problem: str, *, required: bool) -> T | None:
    key = text(value).lower().replace(" ", "")
    if not key:
        if required:
            raise FieldProblem(f"{problem}_missing")
        return None
    if key in spellings:
        return spellings[key]
    raise FieldProblem(f"{problem}_invalid")


_GENDERS = {"男": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "女": Gender.FEMALE, "f": Gender.FEMALE}
_GENDERS["female"] = Gender.FEMALE


def gender(value: Any, *, required: bool = False) -> Gender | None:
    return _choice(value, _GENDERS, "gender", required=required)


_GUARDIANS = {
    **dict.fromkeys(
        ("祖辈监护", "祖辈", "隔代监护", "祖父母监护", "grandparents"), GuardianType.GRANDPARENTS
    ),
    **dict.fromkeys(
        ("父母单方监护", "单方监护", "父亲监护", "母亲监护", "父母一方监护", "one_parent"),
        GuardianType.ONE_PARENT,
    ),
    **dict.fromkeys(
        ("亲朋监护", "亲朋", "亲戚监护", "亲友监护", "relatives_friends"), GuardianType.RELATIVES_FRIENDS
    ),
    **dict.fromkeys(
        ("单亲或孤儿", "单亲", "孤儿", "single_parent_or_orphan"), GuardianType.SINGLE_PARENT_OR_ORPHAN
    ),
}


def guardian_type(value: Any) -> GuardianType:
    found = _choice(value, _GUARDIANS, "guardian", required=True)
    assert found is not None  # required: a missing value raised
    return found


_YES_NO = {
    **dict.fromkeys(("是", "y", "yes", "true", "1", "√", "✓", "有"), True),
    **dict.fromkeys(("否", "n", "no", "false", "0", "×", "✗", "无"), False),
}


def yes_no(value: Any, *, default: bool = False) -> bool:
    found = _choice(value, _YES_NO, "yes_no", required=False)
    return default if found is None else found


_AWAY = {
    **dict.fromkeys(("父母均外出", "双方外出", "父母双方外出", "均外出", "both"), (True, True)),
    **dict.fromkeys(("父亲外出", "仅父亲外出", "father"), (True, False)),
    **dict.fromkeys(("母亲外出", "仅母亲外出", "mother"), (False, True)),
    **dict.fromkeys(("均未外出", "无", "neither"), (False, False)),
}


def parents_away(value: Any) -> tuple[bool, bool] | None:
    """外出情况 in one column: (father away, mother away), or None when the column is empty."""
    return _choice(value, _AWAY, "away", required=False)


_CARE = {
    **dict.fromkeys(("较好", "好", "good"), CareAssessment.GOOD),
    **dict.fromkeys(("一般", "fair"), CareAssessment.FAIR),
    **dict.fromkeys(("差", "较差", "poor"), CareAssessment.POOR),
}


def care(value: Any) -> CareAssessment | None:
    return _choice(value, _CARE, "care", required=False)


_RELATIONS = {
    **dict.fromkeys(
        ("临时监护人", "监护人", "代理监护人", "委托监护人", "temporary_guardian"),
        Relation.TEMPORARY_GUARDIAN,
    ),
    **dict.fromkeys(
        ("祖父母", "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷", "grandparent"), Relation.GRANDPARENT
    ),
    **dict.fromkeys(
        ("亲戚", "叔叔", "阿姨", "舅舅", "姑姑", "伯伯", "other_relative"), Relation.OTHER_RELATIVE
    ),
}


def guardian_relation(value: Any) -> Relation:
    """The temporary guardian's relation to the child; a guardian is a guardian unless said otherwise."""
    found = _choice(value, _RELATIONS, "relation", required=False)
    return Relation.TEMPORARY_GUARDIAN if found is None else found
