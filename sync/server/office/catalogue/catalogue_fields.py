"""How the office reads one field of the catalogue: a barcode, a title, a kind, an ISBN, a price.

Like sync.server.office.fields, each reader returns the clean value or raises FieldProblem with a code
the pages translate, and the limits are the database's and the kiosk's (db.limits), so a row accepted
here can never fail in a kiosk's pull: a barcode is what a scanner types (letters, digits and - . / _),
at most BARCODE_MAX characters, because the kiosk looks a scanned code up exactly as stored.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from db.enums import ItemKind
from db.limits import BARCODE_MAX, INT32_MAX
from sync.server.office.fields import FieldProblem, calendar_day, text

TITLE_MAX = 120  # the title column on both sides of the wire
AUTHOR_MAX = 80
EARLIEST_ACQUIRED = date(1950, 1, 1)

# The words the office writes for each kind (template, export); the import also reads the others.
KIND_WORDS: dict[ItemKind, str] = {
    ItemKind.BOOK: "图书",
    ItemKind.PERIODICAL: "报刊",
    ItemKind.SPORTS: "体育器材",
    ItemKind.CHESS: "棋类",
    ItemKind.OTHER: "其他",
}
_KINDS: dict[str, ItemKind] = {
    **{word: kind for kind, word in KIND_WORDS.items()},
    **{kind.value: kind for kind in ItemKind},
    **dict.fromkeys(("书", "书籍", "图书资料", "绘本"), ItemKind.BOOK),
    **dict.fromkeys(("期刊", "杂志", "报纸", "刊物"), ItemKind.PERIODICAL),
    **dict.fromkeys(("器材", "体育用品", "体育器械", "文体器材"), ItemKind.SPORTS),
    **dict.fromkeys(("棋", "棋牌", "象棋", "军棋", "围棋", "五子棋"), ItemKind.CHESS),
    **dict.fromkeys(("其它",), ItemKind.OTHER),
}
_BARCODE = re.compile(r"[0-9A-Za-z._/-]+")


def _as_typed(value: Any) -> str:
    """A title or author as printed on the book: only whitespace is tidied. Unlike `text`, full-width
    punctuation is kept — 西游记（青少版） is not folded to 西游记(青少版), which would no longer match
    the title already on file."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _printable(value: str) -> bool:
    return not any(unicodedata.category(ch).startswith("C") for ch in value) and not any(
        ch in "<>{}" for ch in value
    )


def barcode(value: Any) -> str:
    code = text(value)
    if not code:
        raise FieldProblem("barcode_missing")
    if len(code) > BARCODE_MAX:
        raise FieldProblem("barcode_too_long")
    if not _BARCODE.fullmatch(code):
        raise FieldProblem("barcode_invalid")
    return code


def title(value: Any) -> str:
    name = _as_typed(value)
    if not name:
        raise FieldProblem("title_missing")
    if len(name) > TITLE_MAX:
        raise FieldProblem("title_too_long")
    if not _printable(name):
        raise FieldProblem("title_invalid")
    return name


def author(value: Any) -> str | None:
    name = _as_typed(value)
    if len(name) > AUTHOR_MAX:
        raise FieldProblem("author_too_long")
    if not _printable(name):
        raise FieldProblem("author_invalid")
    return name or None


def kind(value: Any) -> ItemKind:
    key = text(value).lower().replace(" ", "")
    if not key:
        raise FieldProblem("kind_missing")
    if key not in _KINDS:
        raise FieldProblem("kind_invalid")
    return _KINDS[key]


def isbn(value: Any) -> str | None:
    """An ISBN-13 or ISBN-10 as printed ("ISBN 978-7-02-000220-7"), kept as its digits (and a final
    X) once its check digit is right: a mistyped ISBN is refused rather than stored."""
    raw = text(value).upper()
    if raw.startswith("ISBN"):
        raw = raw[4:].lstrip(":：")
    digits = re.sub(r"[\s-]", "", raw)
    if not digits:
        return None
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
        if total % 10 == 0:
            return digits
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        if total % 11 == 0:
            return digits
    raise FieldProblem("isbn_invalid")


def price_fen(value: Any) -> int | None:
    """单价 in yuan as typed ("25.80", "¥25.8", "25.8元", a number cell), kept in 分 (fen); a damaged
    or lost copy is compensated at this price (照价赔偿), so a price that is not a plain amount with
    at most two decimals is refused rather than rounded."""
    if isinstance(value, float):
        value = repr(value)
    raw = re.sub(r"[\s,，¥￥元]", "", text(value))
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise FieldProblem("price_invalid") from None
    if not amount.is_finite() or not 0 <= amount * 100 <= INT32_MAX or (amount * 100) % 1:
        raise FieldProblem("price_invalid")
    return int(amount * 100)


def acquired_on(value: Any, today: date) -> date | None:
    day = calendar_day(value, "acquired")
    if day is not None and not EARLIEST_ACQUIRED <= day <= today:
        raise FieldProblem("acquired_out_of_range")
    return day


def price_text(fen: int | None) -> str:
    """Fen back to the yuan the register shows ("25.00"), the form the import reads."""
    return "" if fen is None else f"{fen // 100}.{fen % 100:02d}"
