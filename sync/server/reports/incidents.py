"""突发事件: each emergency of the period, who had to be told by when and when they were (学校领导和委托
监护人 20 或 30 分钟内, 在外务工家长 1 小时内, 上级教育主管部门 2 小时内 — the deadlines each kiosk fixed
from its school's settings when the incident was opened), and per party how often that was on time."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from db.enums import NotifyParty
from sync.server.models import IncidentNoticeRecord, IncidentRecord
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Report, Table

ON_TIME, LATE, NOT_TOLD, PENDING = "on_time", "late", "not_told", "pending"


def notice_state(due_at: datetime, notified_at: datetime | None, as_of: datetime) -> str:
    """On time, late, not told (past its deadline), or pending (its deadline is still to come)."""
    if notified_at is not None:
        return ON_TIME if notified_at <= due_at else LATE
    return NOT_TOLD if as_of > due_at else PENDING


def build(basis: Basis) -> Report:
    t = basis.t
    school = basis.school.id
    incidents = basis.session.scalars(
        select(IncidentRecord)
        .where(
            IncidentRecord.school_id == school,
            basis.during(IncidentRecord.opened_at),
        )
        .order_by(IncidentRecord.opened_at)
    ).all()
    notices: dict[uuid.UUID, dict[NotifyParty, IncidentNoticeRecord]] = defaultdict(dict)
    if incidents:
        for notice in basis.session.scalars(
            select(IncidentNoticeRecord).where(
                IncidentNoticeRecord.school_id == school,
                IncidentNoticeRecord.incident_id.in_([i.incident_id for i in incidents]),
            )
        ):
            notices[notice.incident_id][notice.party] = notice
    names = {c.id: c for c in basis.children()}
    counts: dict[NotifyParty, Counter[str]] = {party: Counter() for party in NotifyParty}
    rows: list[list[Any]] = []
    all_on_time = 0
    for incident in incidents:
        child = names.get(incident.child_id)
        row: list[Any] = [
            basis.local(incident.opened_at).date(),
            basis.local(incident.opened_at),
            child.class_name if child else "",
            child.name if child else t("common.unknown"),
        ]
        states = []
        for party in NotifyParty:
            notice = notices[incident.incident_id].get(party)
            if notice is None:
                row += [None, None, ""]
                continue
            state = notice_state(notice.due_at, notice.notified_at, basis.as_of)
            counts[party][state] += 1
            states.append(state)
            told = basis.local(notice.notified_at) if notice.notified_at else None
            row += [basis.local(notice.due_at), told, t(f"incidents.{state}")]
        all_on_time += bool(states) and all(s == ON_TIME for s in states)
        rows.append(row)
    columns = [
        Column(t("incidents.date"), Kind.DATE),
        Column(t("incidents.time"), Kind.TIME),
        Column(t("col.class")),
        Column(t("col.child")),
    ]
    for party in NotifyParty:
        group = t(f"party.{party.value}")
        columns += [
            Column(t("incidents.due"), Kind.TIME, group),
            Column(t("incidents.told"), Kind.TIME, group),
            Column(t("incidents.state"), Kind.TEXT, group),
        ]
    register = Table(
        "incidents",
        t("incidents.register"),
        columns,
        rows,
        total=[t("incidents.count", count=len(rows)), *([None] * (len(columns) - 1))],
        personal=True,
    )
    summary = Table(
        "notice_summary",
        t("incidents.summary"),
        [
            Column(t("incidents.party")),
            Column(t("incidents.on_time"), Kind.INT),
            Column(t("incidents.late"), Kind.INT),
            Column(t("incidents.not_told"), Kind.INT),
            Column(t("incidents.pending"), Kind.INT),
        ],
        [
            [t(f"party.{party.value}"), c[ON_TIME], c[LATE], c[NOT_TOLD], c[PENDING]]
            for party, c in counts.items()
        ],
    )
    return Report(
        "incidents",
        t("report.incidents"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [summary, register],
        figures=[
            (t("incidents.count_label"), str(len(rows))),
            (t("incidents.all_on_time_label"), str(all_on_time)),
        ],
    )
