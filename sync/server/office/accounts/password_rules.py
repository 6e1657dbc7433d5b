"""Whether a new office password is one an attacker would try early: too short, a known leaked or
common password, a keyboard run or a date, or built from the user's or the school's own names.

The judge is zxcvbn (Dropbox's estimator, the maintained Python port): its dictionaries hold the 30,000
commonest passwords of the big public breaches, English words, names and surnames, and it sees keyboard
runs (qwertyuiop, 1qaz2wsx), sequences, repeats, dates and l33t spellings. The user's and the school's
names are given to it as one more dictionary, so 阳光小学2026 or wangli-1985 count as guessable, and they
are also looked for directly (zxcvbn matches a given word only whole).

A password passes when zxcvbn estimates at least 10^8 guesses (its score 3: "safely unguessable by an
online attack, a fair fight against a slow offline one", which argon2id here is) and it is not made
only of leaked passwords glued together (woaini + 1314520 scores 3, yet is two of the commonest).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_SCORE = 3
_COMMON = "passwords"  # zxcvbn's dictionary of leaked passwords
_NAMES = "user_inputs"  # the words passed as this user's own (names)
_SCHOOL_SUFFIXES = ("中心小学", "中心学校", "小学", "中学", "学校", "完小", "教学点")


class WeakPassword(ValueError):
    """`code` says why, for the pages' words: password_names, password_common, password_guessable."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_strength(password: str, *, names: Iterable[str] = (), school_names: Iterable[str] = ()) -> None:
    """Raise WeakPassword when `password` is among the first an attacker would try."""
    own = _words(names, strip_suffixes=False) + _words(school_names, strip_suffixes=True)
    folded = _fold(password)
    if any(word in folded for word in own):
        raise WeakPassword("password_names")
    result = zxcvbn(password, user_inputs=own)
    matches = result["sequence"]
    if any(m.get("dictionary_name") == _NAMES for m in matches):
        raise WeakPassword("password_names")
    common = [m for m in matches if m.get("dictionary_name") == _COMMON]
    if common and (result["score"] < MIN_SCORE or all(m.get("dictionary_name") == _COMMON for m in matches)):
        raise WeakPassword("password_common")
    if result["score"] < MIN_SCORE:
        raise WeakPassword("password_guessable")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(texts: Iterable[str], *, strip_suffixes: bool) -> list[str]:
    """The names as zxcvbn and the substring check take them: folded, and a school's name also without
    its 小学 / 中学 ending (阳光小学 → 阳光); pieces shorter than two characters would refuse too much."""
    found: list[str] = []
    for text in texts:
        word = _fold(text).strip()
        pieces = [word, *word.replace("-", " ").replace("_", " ").replace(".", " ").split()]
        if strip_suffixes:
            pieces += [word.removesuffix(suffix) for suffix in _SCHOOL_SUFFIXES if word.endswith(suffix)]
        found += [p for p in pieces if len(p) >= 2 and (len(p) >= 3 or not p.isascii())]
    return sorted(set(found))
