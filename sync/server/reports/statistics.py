"""每学期留守儿童统计表: first the children of the official count (农村留守儿童, 国家统计口径) — the
headline and every breakdown (by guardian type, by which parents work away, by gender, by age at the
form's cut-off day, by care assessment, and the half-semester update) count them; then the room's
wider group (children it serves who are not in that count) in a table of its own; and the children
whose roster lacks a fact that decides it, in a 未填 column and listed for the clerk to complete.

Every breakdown adds up to the same total (表间勾稽关系): each child falls in exactly one column of
each breakdown, with a column for "not recorded" where the roster may lack the fact. Shares are
computed from the counts shown, never copied. Who counts is decided in `official`.
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
from sync.server.reports.official import (
    Standing,
    WiderReason,
    age_cutoff,
    missing_facts,
    parents_away,
    standing,
    wider_reason,
)
from sync.server.reports.table import Column, Kind, Report, Table, share

AGE_BANDS: list[tuple[str, int, int]] = [("0-5", 0, 5), ("6-13", 6, 13), ("14-15", 14, 15)]

__all__ = ["AGE_BANDS", "age_band", "age_cutoff", "build"]


def age_band(child: RosterChild, cutoff: date) -> str | None:
    age = age_on(child.birthday, cutoff)
    if age is None:
        return None
    return next((label for label, low, high in AGE_BANDS if low <= age <= high), None)


def build(basis: Basis) -> Report:
    t = basis.t
    everyone = basis.children()
    cutoff = age_cutoff(basis)
    stand = {c.id: standing(c, cutoff) for c in everyone}
    counted = [c for c in everyone if stand[c.id] is Standing.OFFICIAL]
    order = basis.class_order()
    classes = sorted({c.class_name for c in everyone}, key=order)
    visited = set(
        basis.session.scalars(
            select(distinct(VisitRecord.child_id)).where(
                VisitRecord.school_id == basis.school.id,
                VisitRecord.day >= basis.period.start,
                VisitRecord.day <= basis.period.end,
            )
        )
    )
    came = sum(c.id in visited for c in everyone)
    tally = Counter(stand.values())
    official, unknown = tally[Standing.OFFICIAL], tally[Standing.UNKNOWN]

    def breakdown(
        key: str, title: str, categories: list[tuple[Hashable, str]], of: Callable[[RosterChild], Any]
    ) -> Table:
        return _breakdown(key, t(title) + t("stats.official_only"), t, classes, counted, categories, of)

    not_recorded = t("common.not_recorded")
    tables = [
        _summary(basis, everyone, tally, came),
        _by_standing(basis, classes, everyone, stand),
        breakdown(
            "by_guardian",
            "stats.by_guardian",
            [(g, t(f"guardian.{g.value}")) for g in GuardianType] + [(None, not_recorded)],
            lambda c: c.guardian_type,
        ),
        breakdown(
            "by_parents_away",
            "stats.by_parents_away",
            [(k, t(f"stats.away.{k}")) for k in ("both", "father", "mother")],
            parents_away,
        ),
        breakdown(
            "by_gender",
            "stats.by_gender",
            [(Gender.MALE, t("gender.male")), (Gender.FEMALE, t("gender.female")), (None, not_recorded)],
            lambda c: c.gender,
        ),
        _breakdown(
            "by_age",
            t("stats.by_age", cutoff=cutoff.isoformat()) + t("stats.official_only"),
            t,
            classes,
            counted,
            [(label, t("stats.age_band", band=label)) for label, _, _ in AGE_BANDS],
            lambda c: age_band(c, cutoff),
        ),
        breakdown(
            "by_care",
            "stats.by_care",
            [(a, t(f"care.{a.value}")) for a in CareAssessment] + [(None, t("care.none"))],
            lambda c: c.care,
        ),
        _half_semester(basis, classes, counted),
        _breakdown(
            "wider",
            t("stats.wider"),
            t,
            classes,
            [c for c in everyone if stand[c.id] is Standing.WIDER],
            [(r, t(f"stats.wider.{r.value}")) for r in WiderReason],
            lambda c: wider_reason(c, cutoff),
            note=t("stats.wider_note"),
        ),
        _to_complete(basis, [c for c in everyone if stand[c.id] is Standing.UNKNOWN], order, cutoff),
    ]
    figures = [
        (t("stats.official"), str(official)),
        (t("stats.children_in_period"), str(len(everyone))),
        (t("stats.unknown"), str(unknown)),
        (t("stats.visited"), str(came)),
    ]
    if basis.settings.pupils_total:
        figures.append(
            (t("stats.share_of_pupils"), f"{share(official, basis.settings.pupils_total) or 0:.1f}%")
        )
    return Report(
        "statistics",
        t("report.statistics"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        tables,
        figures=figures,
        notes=[t("stats.note_official", cutoff=cutoff.isoformat()), t("stats.note_reconcile")],
        lead=t("stats.note_official", cutoff=cutoff.isoformat()),
    )


def _summary(basis: Basis, children: list[RosterChild], tally: Counter[Standing], came: int) -> Table:
    """The roster, split three ways that add up to it: counted officially, the room's wider group,
    and the children whose roster lacks a fact that decides it."""
    t = basis.t
    total = len(children)
    official, wider, unknown = (tally[s] for s in (Standing.OFFICIAL, Standing.WIDER, Standing.UNKNOWN))
    rows: list[list[Any]] = [
        [t("stats.official"), official, share(official, total)],
        [t("stats.children_in_period"), total, share(total, total)],
        [t("stats.not_official"), wider, share(wider, total)],
        [t("stats.unknown"), unknown, share(unknown, total)],
        [t("stats.visited"), came, share(came, total)],
    ]
    if basis.settings.pupils_total:
        rows.append([t("stats.pupils_total"), basis.settings.pupils_total, None])
        rows.append([t("stats.share_of_pupils"), official, share(official, basis.settings.pupils_total)])
    return Table(
        "summary",
        t("stats.summary"),
        [Column(t("col.item")), Column(t("col.count"), Kind.INT), Column(t("col.share"), Kind.PCT)],
        rows,
    )


def _by_standing(
    basis: Basis, classes: list[str], children: list[RosterChild], stand: dict[Any, Standing]
) -> Table:
    t = basis.t
    return _breakdown(
        "by_class",
        t("stats.by_class"),
        t,
        classes,
        children,
        [(s, t(f"stats.standing.{s.value}")) for s in Standing],
        lambda c: stand[c.id],
        whole_label=t("stats.on_roster"),
        keep_empty=True,
    )


def _breakdown(
    key: str,
    title: str,
    t: Callable[..., str],
    classes: list[str],
    children: list[RosterChild],
    categories: list[tuple[Hashable, str]],
    of: Callable[[RosterChild], Any],
    *,
    whole_label: str | None = None,
    keep_empty: bool = False,
    note: str | None = None,
) -> Table:
    by_class: dict[str, Counter[Hashable]] = defaultdict(Counter)
    for child in children:
        by_class[child.class_name][of(child)] += 1
    # Only the "not recorded" column is dropped when nobody is in it; the real categories always show.
    used = [
        (k, label)
        for k, label in categories
        if keep_empty or k is not None or any(by_class[c][None] for c in classes)
    ]
    columns = [Column(t("col.class")), Column(whole_label or t("col.children"), Kind.INT)]
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
        note=note,
    )


def _to_complete(
    basis: Basis, children: list[RosterChild], order: Callable[[str], Any], cutoff: date
) -> Table:
    """The children the count cannot place until the clerk fills in what the roster lacks."""
    t = basis.t
    children = sorted(children, key=lambda c: (order(c.class_name), c.name))
    return Table(
        "to_complete",
        t("stats.to_complete"),
        [
            Column(t("col.class")),
            Column(t("col.child")),
            Column(t("col.student_no")),
            Column(t("stats.missing")),
        ],
        [
            [
                c.class_name,
                c.name,
                c.student_no or "",
                "、".join(t(f"stats.missing.{m.value}") for m in missing_facts(c, cutoff)),
            ]
            for c in children
        ],
        total=[t("stats.to_complete_count", count=len(children)), None, None, None],
        personal=True,
        child_ids=[c.id for c in children],
        link_column=1,
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
        t("stats.half_semester", start=period.start.isoformat(), mid=mid.isoformat(), end=end.isoformat())
        + t("stats.official_only"),
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
