"""每学期留守儿童统计表: the children the room served in a period, by class, by guardian type, by which
parents work away, by gender and age, by care assessment, and the half-semester update.

Every breakdown adds up to the same total (表间勾稽关系): each child falls in exactly one column of
each breakdown, with a column for "not recorded" where the roster may lack the fact. Shares are
computed from the counts shown, never copied. The official count (国家统计口径) is the children whose
parents both work away, or one works away and the other cannot care for the child; the room also
serves children with one parent away and the other able, who are on the roster but not in that count.
Age is counted at the school's cut-off day, not on the day the report is run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import distinct, select

from db.enums import GuardianType
from sync.server.models import CareAssessment, Gender, VisitRecord
from sync.server.reports.basis import Basis, RosterChild, age_on
from sync.server.reports.table import Column, Kind, Report, Table, share

AGE_BANDS: list[tuple[str, int, int]] = [("0-5", 0, 5), ("6-13", 6, 13), ("14-15", 14, 15), ("16+", 16, 200)]


def parents_away(child: RosterChild) -> str:
    if child.father_away and child.mother_away:
        return "both"
    if child.father_away:
        return "father"
    if child.mother_away:
        return "mother"
    return "neither"


def counts_officially(child: RosterChild) -> bool:
    """农村留守儿童 by the 2016 definition: both parents away, or one away and the other unable."""
    away = parents_away(child)
    return away == "both" or (away in ("father", "mother") and child.home_parent_unable)


def age_cutoff(basis: Basis) -> date:
    cutoff = basis.settings.age_cutoff
    if not cutoff:
        return basis.period.start
    month, day = (int(part) for part in cutoff.split("-"))
    return date(basis.period.start.year, month, day)


def age_band(child: RosterChild, cutoff: date) -> str | None:
    age = age_on(child.birthday, cutoff)
    if age is None:
        return None
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


def build(basis: Basis) -> Report:
    t = basis.t
    children = basis.children()
    order = basis.class_order()
    classes = sorted({c.class_name for c in children}, key=order)
    cutoff = age_cutoff(basis)
    visited = set(
        basis.session.scalars(
            select(distinct(VisitRecord.child_id)).where(
                VisitRecord.school_id == basis.school.id,
                VisitRecord.day >= basis.period.start,
                VisitRecord.day <= basis.period.end,
            )
        )
    )
    total = len(children)
    official = sum(counts_officially(c) for c in children)
    came = sum(c.id in visited for c in children)

    def breakdown(
        key: str, title: str, categories: list[tuple[Hashable, str]], of: Callable[[RosterChild], Any]
    ):
        return _breakdown(key, title, t, classes, children, categories, of)

    tables = [
        _summary(basis, children, came),
        breakdown(
            "by_guardian",
            t("stats.by_guardian"),
            [(g, t(f"guardian.{g.value}")) for g in GuardianType],
            lambda c: c.guardian_type,
        ),
        breakdown(
            "by_parents_away",
            t("stats.by_parents_away"),
            [(k, t(f"away.{k}")) for k in ("both", "father", "mother", "neither")],
            parents_away,
        ),
        breakdown(
            "by_gender",
            t("stats.by_gender"),
            [
                (Gender.MALE, t("gender.male")),
                (Gender.FEMALE, t("gender.female")),
                (None, t("common.not_recorded")),
            ],
            lambda c: c.gender,
        ),
        breakdown(
            "by_age",
            t("stats.by_age", cutoff=cutoff.isoformat()),
            [(label, t("stats.age_band", band=label)) for label, _, _ in AGE_BANDS]
            + [(None, t("common.not_recorded"))],
            lambda c: age_band(c, cutoff),
        ),
        breakdown(
            "by_care",
            t("stats.by_care"),
            [(a, t(f"care.{a.value}")) for a in CareAssessment] + [(None, t("care.none"))],
            lambda c: c.care,
        ),
        _half_semester(basis, classes, children),
    ]
    figures = [
        (t("stats.children_in_period"), str(total)),
        (t("stats.official"), str(official)),
        (t("stats.visited"), str(came)),
    ]
    if basis.settings.pupils_total:
        figures.append((t("stats.share_of_pupils"), f"{share(total, basis.settings.pupils_total) or 0:.1f}%"))
    return Report(
        "statistics",
        t("report.statistics"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        tables,
        figures=figures,
        notes=[t("stats.note_official"), t("stats.note_reconcile")],
    )


def _summary(basis: Basis, children: list[RosterChild], came: int) -> Table:
    """The total, split three ways that add up to it: counted officially; one parent away and the
    other at home and able; neither parent recorded as away (a parent came home, an orphan …)."""
    t = basis.t
    total = len(children)
    official = sum(counts_officially(c) for c in children)
    neither = sum(parents_away(c) == "neither" for c in children)
    one_able = total - official - neither
    rows: list[list[Any]] = [
        [t("stats.children_in_period"), total, share(total, total)],
        [t("stats.official"), official, share(official, total)],
        [t("stats.not_official"), one_able, share(one_able, total)],
        [t("stats.neither_away"), neither, share(neither, total)],
        [t("stats.visited"), came, share(came, total)],
    ]
    if basis.settings.pupils_total:
        rows.append([t("stats.pupils_total"), basis.settings.pupils_total, None])
        rows.append([t("stats.share_of_pupils"), total, share(total, basis.settings.pupils_total)])
    return Table(
        "summary",
        t("stats.summary"),
        [Column(t("col.item")), Column(t("col.count"), Kind.INT), Column(t("col.share"), Kind.PCT)],
        rows,
    )


def _breakdown(
    key: str,
    title: str,
    t: Callable[..., str],
    classes: list[str],
    children: list[RosterChild],
    categories: list[tuple[Hashable, str]],
    of: Callable[[RosterChild], Any],
) -> Table:
    by_class: dict[str, Counter[Hashable]] = defaultdict(Counter)
    for child in children:
        by_class[child.class_name][of(child)] += 1
    # Only the "not recorded" column is dropped when nobody is in it; the real categories always show.
    used = [(k, label) for k, label in categories if k is not None or any(by_class[c][None] for c in classes)]
    columns = [Column(t("col.class")), Column(t("col.children"), Kind.INT)]
    for _key, label in used:
        columns += [Column(t("col.count"), Kind.INT, label), Column(t("col.share"), Kind.PCT, label)]

    def row(label: str, counts: Counter[Hashable]) -> list[Any]:
        whole = sum(counts.values())
        values: list[Any] = [label, whole]
        for k, _label in used:
            values += [counts[k], share(counts[k], whole)]
        return values

    everyone: Counter[Hashable] = Counter()
    for counts in by_class.values():
        everyone.update(counts)
    return Table(
        key,
        title,
        columns,
        [row(c, by_class[c]) for c in classes],
        total=row(t("common.total"), everyone),
    )


def _half_semester(basis: Basis, classes: list[str], children: Iterable[RosterChild]) -> Table:
    t = basis.t
    period = basis.period
    end = basis.as_of_day
    mid = min(period.midpoint, end)
    rows = []
    sums = [0, 0, 0, 0, 0]
    for class_name in classes:
        mine = [c for c in children if c.class_name == class_name]
        values = [
            sum(c.on_roster(period.start) for c in mine),
            sum(c.on_roster(mid) for c in mine),
            sum(c.on_roster(end) for c in mine),
            sum(c.joined_on is not None and period.start < c.joined_on <= end for c in mine),
            sum(c.left_on is not None and period.start < c.left_on <= end for c in mine),
        ]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        rows.append([class_name, *values])
    return Table(
        "half_semester",
        t("stats.half_semester", start=period.start.isoformat(), mid=mid.isoformat(), end=end.isoformat()),
        [
            Column(t("col.class")),
            Column(t("stats.at_start"), Kind.INT),
            Column(t("stats.at_mid"), Kind.INT),
            Column(t("stats.at_end"), Kind.INT),
            Column(t("stats.joined"), Kind.INT),
            Column(t("stats.left"), Kind.INT),
        ],
        rows,
        total=[t("common.total"), *sums],
        note=t("stats.half_note"),
    )
