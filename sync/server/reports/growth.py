"""留守儿童成长记录表: each child's semester as the school files it at the semester's end (003:L279) —
every call home and letter from the room's kiosk, every 谈心, 家访 and contact with the family, and
every book or piece of equipment borrowed, day by day. One report per class, one table (a sheet) per
child. Counselling is never in it: its records are for counsellors alone.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from sync.server.models import (
    CallRecord,
    CareKind,
    CareRecord,
    CentralCatalogueItem,
    CentralCopy,
    LetterRecord,
    LoanRecord,
)
from sync.server.reports.basis import Basis, RosterChild
from sync.server.reports.contact import channel_of
from sync.server.reports.table import Column, Kind, Report, Table

SLUG = "growth"

Entry = tuple[date, str, str]  # day, what, detail


def _entries(basis: Basis) -> dict[uuid.UUID, list[Entry]]:
    t, session, school = basis.t, basis.session, basis.school.id
    found: dict[uuid.UUID, list[Entry]] = defaultdict(list)
    for child_id, at, kind, direction in session.execute(
        select(CallRecord.child_id, CallRecord.started_at, CallRecord.kind, CallRecord.direction).where(
            CallRecord.school_id == school, basis.during(CallRecord.started_at)
        )
    ):
        found[child_id].append((basis.local(at).date(), t(f"growth.call.{channel_of(kind, direction)}"), ""))
    for child_id, at, direction in session.execute(
        select(LetterRecord.child_id, LetterRecord.recorded_at, LetterRecord.direction).where(
            LetterRecord.school_id == school, basis.during(LetterRecord.recorded_at)
        )
    ):
        found[child_id].append((basis.local(at).date(), t(f"letter.{direction.value}"), ""))
    for record in session.scalars(
        select(CareRecord).where(
            CareRecord.school_id == school,
            CareRecord.on_day >= basis.period.start,
            CareRecord.on_day <= basis.period.end,
        )
    ):
        found[record.child_id].append(
            (record.on_day, t(f"care.kind.{record.kind.value}"), _detail(basis, record))
        )
    for child_id, at, title in session.execute(
        select(LoanRecord.child_id, LoanRecord.borrowed_at, CentralCatalogueItem.title)
        .join(CentralCopy, CentralCopy.id == LoanRecord.copy_id)
        .join(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
        .where(LoanRecord.school_id == school, basis.during(LoanRecord.borrowed_at))
    ):
        found[child_id].append((basis.local(at).date(), t("growth.borrowed"), f"《{title}》"))
    for entries in found.values():
        entries.sort(key=lambda e: e[0])
    return found


def _detail(basis: Basis, record: CareRecord) -> str:
    t = basis.t
    if record.kind is CareKind.TALK:
        topics = "、".join(t(f"care.topic.{topic}") for topic in record.topics)
        head = f"{topics}；{t('care.minutes', minutes=record.minutes)}"
    elif record.kind is CareKind.VISIT:
        head = f"{t('care.form.met')}：{record.met or '—'}"
    else:
        party = t(f"care.party.{record.party.value}") if record.party else "—"
        channel = t(f"care.channel.{record.channel.value}") if record.channel else "—"
        head = f"{party}（{channel}）"
    return f"{head}。{record.notes}" if record.notes else head


def build_by_class(basis: Basis) -> list[Report]:
    """One report per class, in reading order, each child's semester a table of its own."""
    entries = _entries(basis)
    by_class: dict[str, list[RosterChild]] = defaultdict(list)
    for child in basis.children():
        by_class[child.class_name].append(child)
    order = basis.class_order()
    reports = []
    columns = [
        Column(basis.t("growth.day"), Kind.DATE),
        Column(basis.t("growth.what")),
        Column(basis.t("growth.detail")),
    ]
    for class_name in sorted(by_class, key=order):
        tables = []
        for child in sorted(by_class[class_name], key=lambda c: (c.student_no or "", c.name)):
            rows = [list(entry) for entry in entries.get(child.id, [])]
            title = f"{child.name}（{child.student_no}）" if child.student_no else child.name
            tables.append(Table(f"child-{child.id}", title, list(columns), rows, personal=True))
        reports.append(
            Report(
                SLUG,
                f"{basis.t('growth.title')} · {class_name}",
                basis.school.name,
                basis.period,
                basis.period.label(basis.locale),
                basis.now,
                tables,
            )
        )
    return reports
