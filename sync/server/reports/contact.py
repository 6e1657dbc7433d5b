"""Family contact: who kept in touch with home, how, and who is overdue under the school's cadence;
and the weekly 电话使用登记 register laid out as the paper one (每周上交备查).

A contact is any call (a call home, a video call, a parent ringing the 亲情热线) or a letter either way
(写信或通话), exactly what the kiosk's reminder counts (kiosk.services.contact_due), so the office
and the room agree on who is due. A child is overdue when, at the period's end (or now, while it
runs), their last contact is at least the cadence ago, or they never had one. The gap between
contacts is measured in days between consecutive contacts inside the period; a class's median is the
median of all its children's gaps.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select

from db.enums import CallDirection, CallKind
from sync.server.models import CallRecord, CentralContact, LetterRecord
from sync.server.reports.basis import Basis, RosterChild
from sync.server.reports.table import Bar, Chart, Column, Kind, Report, Table, share

CHANNELS = ("phone", "video", "incoming", "letter")


def channel_of(kind: CallKind, direction: CallDirection) -> str:
    if kind is CallKind.VIDEO:
        return "video"
    return "incoming" if direction is CallDirection.INCOMING else "phone"


def _contacts_in_period(basis: Basis) -> dict[uuid.UUID, list[tuple[datetime, str]]]:
    """Each child's contacts inside the period (up to as-of), oldest first, with their channel."""
    school, start, end = basis.school.id, basis.start, basis.as_of
    found: dict[uuid.UUID, list[tuple[datetime, str]]] = defaultdict(list)
    for child_id, at, kind, direction in basis.session.execute(
        select(CallRecord.child_id, CallRecord.started_at, CallRecord.kind, CallRecord.direction).where(
            CallRecord.school_id == school, CallRecord.started_at >= start, CallRecord.started_at < end
        )
    ):
        found[child_id].append((at, channel_of(kind, direction)))
    for child_id, at in basis.session.execute(
        select(LetterRecord.child_id, LetterRecord.recorded_at).where(
            LetterRecord.school_id == school,
            LetterRecord.recorded_at >= start,
            LetterRecord.recorded_at < end,
        )
    ):
        found[child_id].append((at, "letter"))
    for contacts in found.values():
        contacts.sort()
    return found


def last_contacts(basis: Basis) -> dict[uuid.UUID, datetime]:
    """Each child's last contact at or before as-of, however long ago."""
    school, as_of = basis.school.id, basis.as_of
    last: dict[uuid.UUID, datetime] = {}
    for model, column in ((CallRecord, CallRecord.started_at), (LetterRecord, LetterRecord.recorded_at)):
        for child_id, at in basis.session.execute(
            select(model.child_id, func.max(column))
            .where(model.school_id == school, column <= as_of)
            .group_by(model.child_id)
        ):
            if child_id not in last or at > last[child_id]:
                last[child_id] = at
    return last


def is_overdue(last: datetime | None, as_of: datetime, cadence_days: int) -> bool:
    return last is None or as_of - last >= timedelta(days=cadence_days)


def gaps_in_days(times: list[datetime]) -> list[float]:
    return [(b - a).total_seconds() / 86400 for a, b in zip(times, times[1:], strict=False)]


def build(basis: Basis) -> Report:
    t = basis.t
    order = basis.class_order()
    children = sorted(basis.children(), key=lambda c: (order(c.class_name), c.name))
    contacts = _contacts_in_period(basis)
    last = last_contacts(basis)
    cadence = basis.settings.contact_cadence.days
    as_of, as_of_day = basis.as_of, basis.as_of_day

    per_child: list[list[Any]] = []
    flagged: list[bool] = []
    by_class: dict[str, dict[str, Any]] = {}
    for child in children:
        mine = contacts.get(child.id, [])
        counts = Counter(channel for _at, channel in mine)
        gaps = gaps_in_days([at for at, _channel in mine])
        on_roster = child.on_roster(as_of_day)
        overdue = on_roster and is_overdue(last.get(child.id), as_of, cadence)
        summary = by_class.setdefault(
            child.class_name,
            {"roster": 0, "contacted": 0, "overdue": 0, "gaps": [], **dict.fromkeys(CHANNELS, 0)},
        )
        summary["roster"] += on_roster
        summary["contacted"] += bool(mine)
        summary["overdue"] += overdue
        summary["gaps"].extend(gaps)
        for channel in CHANNELS:
            summary[channel] += counts[channel]
        seen = last.get(child.id)
        per_child.append(
            [
                child.class_name,
                child.name,
                *(counts[channel] for channel in CHANNELS),
                len(mine),
                basis.local(seen).date() if seen else None,
                (as_of - seen).days if seen else None,
                t("common.yes") if overdue else ("" if on_roster else t("contact.left")),
                round(median(gaps), 1) if gaps else None,
            ]
        )
        flagged.append(overdue)

    channel_columns = [Column(t(f"contact.{channel}"), Kind.INT) for channel in CHANNELS]
    child_table = Table(
        "per_child",
        t("contact.per_child"),
        [
            Column(t("col.class")),
            Column(t("col.child")),
            *channel_columns,
            Column(t("contact.total"), Kind.INT),
            Column(t("contact.last"), Kind.DATE),
            Column(t("contact.days_since"), Kind.INT),
            Column(t("contact.overdue"), Kind.TEXT),
            Column(t("contact.median_gap"), Kind.DAYS),
        ],
        per_child,
        personal=True,
        flagged=flagged,
    )
    class_table, compliance = _per_class(basis, by_class)
    return Report(
        "contact",
        t("report.contact"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [class_table, child_table],
        charts=[_calls_per_week(basis, contacts), compliance],
        figures=_figures(basis, class_table),
        notes=[t("contact.note", days=cadence, as_of=basis.local(as_of).strftime("%Y-%m-%d %H:%M"))],
    )


def _per_class(basis: Basis, by_class: dict[str, dict[str, Any]]) -> tuple[Table, Chart]:
    t = basis.t
    rows, bars = [], []
    order = basis.class_order()
    everyone: dict[str, Any] = {
        "roster": 0,
        "contacted": 0,
        "overdue": 0,
        "gaps": [],
        **dict.fromkeys(CHANNELS, 0),
    }

    def row(label: str, s: dict[str, Any]) -> list[Any]:
        return [
            label,
            s["roster"],
            s["contacted"],
            s["overdue"],
            share(s["roster"] - s["overdue"], s["roster"]),
            *(s[channel] for channel in CHANNELS),
            round(median(s["gaps"]), 1) if s["gaps"] else None,
        ]

    for class_name in sorted(by_class, key=order):
        s = by_class[class_name]
        rows.append(row(class_name, s))
        for key in ("roster", "contacted", "overdue", *CHANNELS):
            everyone[key] += s[key]
        everyone["gaps"].extend(s["gaps"])
        rate = share(s["roster"] - s["overdue"], s["roster"])
        bars.append(Bar(class_name, rate or 0.0, low=(rate or 0.0) < 80))
    table = Table(
        "per_class",
        t("contact.per_class"),
        [
            Column(t("col.class")),
            Column(t("contact.on_roster"), Kind.INT),
            Column(t("contact.contacted"), Kind.INT),
            Column(t("contact.overdue_count"), Kind.INT),
            Column(t("contact.compliance"), Kind.PCT),
            *(Column(t(f"contact.{channel}"), Kind.INT) for channel in CHANNELS),
            Column(t("contact.median_gap"), Kind.DAYS),
        ],
        rows,
        total=row(t("common.total"), everyone),
    )
    chart = Chart("compliance", t("contact.chart_compliance"), bars, unit="%", target=80, horizontal=True)
    return table, chart


def _calls_per_week(basis: Basis, contacts: dict[uuid.UUID, list[tuple[datetime, str]]]) -> Chart:
    weeks: Counter[date] = Counter()
    for mine in contacts.values():
        for at, channel in mine:
            if channel != "letter":
                day = basis.local(at).date()
                weeks[day - timedelta(days=day.isoweekday() - 1)] += 1
    monday = basis.period.start - timedelta(days=basis.period.start.isoweekday() - 1)
    bars = []
    while monday <= basis.as_of_day:
        bars.append(Bar(monday.strftime("%m-%d"), weeks[monday]))
        monday += timedelta(days=7)
    return Chart("calls_per_week", basis.t("contact.chart_calls"), bars)


def _figures(basis: Basis, table: Table) -> list[tuple[str, str]]:
    t = basis.t
    total = table.total or []
    return [
        (t("contact.on_roster"), str(total[1])),
        (t("contact.overdue_count"), str(total[3])),
        (t("contact.compliance"), "—" if total[4] is None else f"{total[4]:.1f}%"),
        (t("contact.calls_total"), str(sum(total[5:8]))),
    ]


# -- the weekly register ----------------------------------------------------------------------------------


def build_register(basis: Basis) -> Report:
    """电话、电脑（视频）使用登记: 通话日期、通话时间、留守儿童和父母姓名、事由, one line per call."""
    t = basis.t
    children = {c.id: c for c in basis.children()}
    rows = basis.session.execute(
        select(CallRecord, CentralContact.relation, CentralContact.name)
        .outerjoin(
            CentralContact,
            (CentralContact.id == CallRecord.callee_id) & (CentralContact.school_id == CallRecord.school_id),
        )
        .where(
            CallRecord.school_id == basis.school.id,
            basis.during(CallRecord.started_at),
        )
        .order_by(CallRecord.started_at)
    ).all()
    lines = []
    for call, relation, callee_name in rows:
        child: RosterChild | None = children.get(call.child_id)
        started = basis.local(call.started_at)
        minutes = (
            None if call.ended_at is None else round((call.ended_at - call.started_at).total_seconds() / 60)
        )
        lines.append(
            [
                started.date(),
                started,
                child.class_name if child else "",
                child.name if child else t("common.unknown"),
                t(f"relation.{relation.value}") if relation else "",
                callee_name or "",
                t(f"call.{call.kind.value}"),
                t(f"direction.{call.direction.value}"),
                t(f"reason.{call.reason.value}") if call.reason else "",
                minutes,
            ]
        )
    table = Table(
        "register",
        t("register.title"),
        [
            Column(t("register.date"), Kind.DATE),
            Column(t("register.time"), Kind.TIME),
            Column(t("col.class")),
            Column(t("register.child")),
            Column(t("register.relation")),
            Column(t("register.callee")),
            Column(t("register.kind")),
            Column(t("register.direction")),
            Column(t("register.reason")),
            Column(t("register.minutes"), Kind.INT),
        ],
        lines,
        total=[t("register.total_calls", count=len(lines)), *([None] * 9)],
        personal=True,
    )
    return Report(
        "register",
        t("report.register"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [table],
        notes=[t("register.note")],
    )
