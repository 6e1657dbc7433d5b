"""One child's timeline: visits, calls, letters and loans in one list, newest first.

Shown only to users allowed to see children, and every view is in the audit log (the page writes it).
The callee is named by relation and name; phone numbers are never part of the timeline.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from sync.server.models import (
    CallRecord,
    CentralCatalogueItem,
    CentralContact,
    CentralCopy,
    LetterRecord,
    LoanRecord,
    VisitRecord,
)
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Report, Table


def build(basis: Basis, child_id: uuid.UUID, child_name: str) -> Report:
    t = basis.t
    school = basis.school.id
    window = (basis.start, basis.end)
    entries: list[tuple[datetime, list[Any]]] = []

    def add(at: datetime, what: str, detail: str, until: datetime | None = None, extra: str = "") -> None:
        local = basis.local(at)
        entries.append((at, [local, t(what), detail, basis.local(until) if until else None, extra]))

    for visit in basis.session.scalars(
        select(VisitRecord).where(
            VisitRecord.school_id == school,
            VisitRecord.child_id == child_id,
            VisitRecord.signed_in_at >= window[0],
            VisitRecord.signed_in_at < window[1],
        )
    ):
        end = t(f"visit_end.{visit.end_reason.value}") if visit.end_reason else t("timeline.still_in")
        add(visit.signed_in_at, "timeline.visit", end, visit.signed_out_at)
    contacts = {
        c.id: c
        for c in basis.session.scalars(
            select(CentralContact).where(
                CentralContact.school_id == school, CentralContact.child_id == child_id
            )
        )
    }

    def person(contact_id: uuid.UUID) -> str:
        contact = contacts.get(contact_id)
        return f"{t(f'relation.{contact.relation.value}')} {contact.name}" if contact else t("common.unknown")

    for call in basis.session.scalars(
        select(CallRecord).where(
            CallRecord.school_id == school,
            CallRecord.child_id == child_id,
            CallRecord.started_at >= window[0],
            CallRecord.started_at < window[1],
        )
    ):
        reason = t(f"reason.{call.reason.value}") if call.reason else ""
        add(
            call.started_at,
            f"call.{call.kind.value}",
            f"{t(f'direction.{call.direction.value}')} · {person(call.callee_id)}",
            call.ended_at,
            reason,
        )
    for letter in basis.session.scalars(
        select(LetterRecord).where(
            LetterRecord.school_id == school,
            LetterRecord.child_id == child_id,
            LetterRecord.recorded_at >= window[0],
            LetterRecord.recorded_at < window[1],
        )
    ):
        add(letter.recorded_at, f"letter.{letter.direction.value}", person(letter.contact_id))
    for loan, title, barcode in basis.session.execute(
        select(LoanRecord, CentralCatalogueItem.title, CentralCopy.barcode)
        .outerjoin(CentralCopy, CentralCopy.id == LoanRecord.copy_id)
        .outerjoin(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
        .where(
            LoanRecord.school_id == school,
            LoanRecord.child_id == child_id,
            LoanRecord.borrowed_at >= window[0],
            LoanRecord.borrowed_at < window[1],
        )
    ):
        state = t(f"condition.{loan.condition.value}") if loan.condition else t("timeline.on_loan")
        add(loan.borrowed_at, "timeline.loan", f"{title or '?'} ({barcode or '?'})", loan.returned_at, state)
    entries.sort(key=lambda entry: entry[0], reverse=True)
    table = Table(
        "timeline",
        t("timeline.title", name=child_name),
        [
            Column(t("timeline.when"), Kind.DATETIME),
            Column(t("timeline.what")),
            Column(t("timeline.detail")),
            Column(t("timeline.until"), Kind.DATETIME),
            Column(t("timeline.note")),
        ],
        [row for _at, row in entries],
        personal=True,
    )
    return Report(
        "timeline",
        t("report.timeline"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [table],
    )
