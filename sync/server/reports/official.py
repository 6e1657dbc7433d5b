"""Who is a 农村留守儿童 in the official count (国家统计口径, the 2016 national definition): a child
under sixteen on the form's cut-off day whose parents both work away, or one works away and the other
cannot care for the child (重病、重残 …).

The room serves more children than that — one parent away and the other at home and able, a child who
has turned sixteen, a parent come home — and the roster may not know every fact. So each child stands
in exactly one of three places: counted officially, in the room's wider group (with the first
condition of the definition they do not meet), or undecided because a fact that decides it is 未填.
Facts are three-valued (True, False, None = not known), and a missing fact leaves a child undecided
only where it matters: a child of sixteen is not counted whatever the roster says of the parents.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from enum import StrEnum
from itertools import product

from sync.server.core.school_settings import SchoolSettings
from sync.server.reports.basis import Basis, RosterChild, age_on
from sync.server.reports.period import Period

OFFICIAL_AGE_LIMIT = 16  # 不满十六周岁


class Standing(StrEnum):
    OFFICIAL = "official"  # 国家口径
    WIDER = "wider"  # the room serves the child; not in the official count
    UNKNOWN = "unknown"  # 未填: a fact that decides it is missing


class WiderReason(StrEnum):
    """The first condition of the definition a child of the wider group does not meet."""

    AGED_SIXTEEN = "aged_sixteen"  # 已满十六周岁 on the cut-off day
    NEITHER_AWAY = "neither_away"  # 父母均未外出 (a parent came home, an orphan …)
    HOME_PARENT_ABLE = "home_parent_able"  # 一方外出、另一方在家能监护


class Missing(StrEnum):
    """A fact of the definition, which the clerk must fill in where it is 未填 and decides the count.
    (The order is the order of _counted's arguments.)"""

    BIRTHDAY = "birthday"
    FATHER_AWAY = "father_away"
    MOTHER_AWAY = "mother_away"
    HOME_PARENT_UNABLE = "home_parent_unable"


def age_cutoff(basis: Basis) -> date:
    return cutoff_day(basis.settings, basis.period)


def cutoff_day(settings: SchoolSettings, period: Period) -> date:
    """The form's cut-off day: the school's setting (月-日) in the period's first year, or the
    period's first day."""
    if not settings.age_cutoff:
        return period.start
    month, day = (int(part) for part in settings.age_cutoff.split("-"))
    return date(period.start.year, month, day)


def sixteen_by(cutoff: date) -> date:
    """The last birthday of a child who is sixteen on `cutoff`: born on it or before, not counted."""
    year = cutoff.year - OFFICIAL_AGE_LIMIT
    return date(year, cutoff.month, min(cutoff.day, monthrange(year, cutoff.month)[1]))


def under_age(child: RosterChild, cutoff: date) -> bool | None:
    age = age_on(child.birthday, cutoff)
    return None if age is None else age < OFFICIAL_AGE_LIMIT


def _counted(under: bool, father: bool, mother: bool, unable: bool) -> bool:
    return under and ((father and mother) or (father != mother and unable))


def _facts(child: RosterChild, cutoff: date) -> dict[Missing, bool | None]:
    return {
        Missing.BIRTHDAY: under_age(child, cutoff),
        Missing.FATHER_AWAY: child.father_away,
        Missing.MOTHER_AWAY: child.mother_away,
        Missing.HOME_PARENT_UNABLE: child.home_parent_unable,
    }


def _completions(facts: dict[Missing, bool | None]) -> list[dict[Missing, bool]]:
    """Every way the unknown facts could be filled in."""
    unknown = [k for k, v in facts.items() if v is None]
    return [
        {k: bool(v) for k, v in facts.items()} | dict(zip(unknown, filled, strict=True))
        for filled in product((False, True), repeat=len(unknown))
    ]


def _answer(values: dict[Missing, bool]) -> bool:
    return _counted(*(values[k] for k in Missing))


def _outcomes(facts: dict[Missing, bool | None]) -> set[bool]:
    return {_answer(values) for values in _completions(facts)}


def standing(child: RosterChild, cutoff: date) -> Standing:
    """Counted, not counted, or undecided: a missing fact leaves the child undecided only when
    filling it in could change the answer (a child of sixteen is not counted whatever is 未填)."""
    return standing_of(_facts(child, cutoff))


def standing_of(facts: dict[Missing, bool | None]) -> Standing:
    """The standing of anyone with these facts (None: 未填), e.g. a group of children alike in them."""
    outcomes = _outcomes(facts)
    if outcomes == {True}:
        return Standing.OFFICIAL
    if outcomes == {False}:
        return Standing.WIDER
    return Standing.UNKNOWN


def missing_facts(child: RosterChild, cutoff: date) -> list[Missing]:
    """The unknown facts that could change whether the child is counted: what the clerk fills in."""
    facts = _facts(child, cutoff)
    return [
        key
        for key, value in facts.items()
        if value is None
        and any(
            _answer(values | {key: True}) != _answer(values | {key: False}) for values in _completions(facts)
        )
    ]


def wider_reason(child: RosterChild, cutoff: date) -> WiderReason:
    """For a child of the wider group: age first (the definition's first words), then the parents."""
    if under_age(child, cutoff) is False:
        return WiderReason.AGED_SIXTEEN
    if child.father_away is False and child.mother_away is False:
        return WiderReason.NEITHER_AWAY
    return WiderReason.HOME_PARENT_ABLE


def parents_away(child: RosterChild) -> str:
    """Which parents work away, for the breakdown of children counted officially: both, or one (the
    other unable); "unknown" where the roster does not say."""
    if child.father_away and child.mother_away:
        return "both"
    if child.father_away and child.mother_away is False:
        return "father"
    if child.mother_away and child.father_away is False:
        return "mother"
    if child.father_away is False and child.mother_away is False:
        return "neither"
    return "unknown"
