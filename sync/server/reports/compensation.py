"""损坏公物照价赔偿 for the lending report: every damage record of the period (from a return marked
damaged or lost, or entered by the administrator) with the item's value, the amount asked or agreed,
and whether it was paid or waived; totals of what was asked, what was paid and what was let go."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from db.enums import DamageSettlement, ItemKind
from sync.server.models import DamageRecord
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Table

Titles = dict[uuid.UUID, tuple[str, str, ItemKind, int | None]]


def table(
    basis: Basis, titles: Titles, who: Callable[[uuid.UUID], tuple[str, str]]
) -> tuple[Table, list[tuple[str, str]]]:
    t = basis.t
    rows = basis.session.scalars(
        select(DamageRecord)
        .where(
            DamageRecord.school_id == basis.school.id,
            basis.during(DamageRecord.recorded_at),
        )
        .order_by(DamageRecord.recorded_at)
    ).all()
    lines: list[list[Any]] = []
    for damage in rows:
        barcode, title, _kind, _price = titles.get(damage.copy_id, ("", "", ItemKind.OTHER, None))
        status = t(f"settlement.{damage.settlement.value}") if damage.settlement else t("compensation.open")
        lines.append(
            [
                basis.local(damage.recorded_at).date(),
                *who(damage.child_id),
                title,
                barcode,
                t(f"condition.{damage.condition.value}"),
                damage.value_fen,
                damage.amount_fen,
                status,
                damage.paid_fen if damage.settlement is DamageSettlement.PAID else None,
            ]
        )
    asked = sum(d.amount_fen or 0 for d in rows)
    paid = sum(d.paid_fen or 0 for d in rows if d.settlement is DamageSettlement.PAID)
    waived = sum(d.amount_fen or 0 for d in rows if d.settlement is DamageSettlement.WAIVED)
    damage_table = Table(
        "damaged_or_lost",
        t("lending.damaged_or_lost"),
        [
            Column(t("compensation.recorded_on"), Kind.DATE),
            Column(t("col.class")),
            Column(t("col.child")),
            Column(t("col.title")),
            Column(t("col.barcode")),
            Column(t("lending.condition")),
            Column(t("compensation.value"), Kind.MONEY),
            Column(t("compensation.amount"), Kind.MONEY),
            Column(t("compensation.status")),
            Column(t("compensation.paid"), Kind.MONEY),
        ],
        lines,
        total=[
            t("lending.items", count=len(lines)),
            *([None] * 5),
            sum(d.value_fen or 0 for d in rows),
            asked,
            None,
            paid,
        ],
        personal=True,
    )
    figures = [
        (t("compensation.asked_label"), f"{asked / 100:.2f}"),
        (t("compensation.paid_label"), f"{paid / 100:.2f}"),
        (t("compensation.waived_label"), f"{waived / 100:.2f}"),
    ]
    return damage_table, figures
