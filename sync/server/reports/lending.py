"""Lending (图书、报刊借阅登记; 体育器材、棋类使用登记) and the asset register (资产登记造册, 帐物相符).

Lending counts loans made in the period by kind, the most borrowed titles, what was overdue at the
period's end (or now), what was damaged or lost and its compensation — asked, agreed, paid or waived
(损坏公物照价赔偿, sync.server.reports.compensation) — and what each stocktake found missing or
unexpected. The asset register is the stock as the centre holds it today — copies per title by shelf
state, with what is out on loan — and its value at list price.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import and_, func, or_, select

from db.enums import CopyStatus, ItemKind
from sync.server.models import CentralCatalogueItem, CentralCopy, LoanRecord, StocktakeRecord
from sync.server.reports import compensation
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Report, Table


def _titles(basis: Basis) -> dict[uuid.UUID, tuple[str, str, ItemKind, int | None]]:
    """copy id -> (barcode, title, kind, price in fen)."""
    return {
        copy_id: (barcode, title, kind, price)
        for copy_id, barcode, title, kind, price in basis.session.execute(
            select(
                CentralCopy.id,
                CentralCopy.barcode,
                CentralCatalogueItem.title,
                CentralCatalogueItem.kind,
                CentralCatalogueItem.price_fen,
            )
            .join(CentralCatalogueItem, CentralCatalogueItem.id == CentralCopy.item_id)
            .where(CentralCopy.school_id == basis.school.id)
        )
    }


def build(basis: Basis) -> Report:
    t = basis.t
    school, start, end, as_of = basis.school.id, basis.start, basis.end, basis.as_of
    titles = _titles(basis)
    names = {c.id: c for c in basis.children()}
    borrowed = basis.session.execute(
        select(LoanRecord.copy_id, LoanRecord.returned_at).where(
            LoanRecord.school_id == school, LoanRecord.borrowed_at >= start, LoanRecord.borrowed_at < end
        )
    ).all()
    returned_in_period = Counter(
        titles[copy_id][2]
        for (copy_id,) in basis.session.execute(
            select(LoanRecord.copy_id).where(
                LoanRecord.school_id == school, LoanRecord.returned_at >= start, LoanRecord.returned_at < end
            )
        )
        if copy_id in titles
    )
    open_at_as_of = (
        basis.session.execute(
            select(LoanRecord).where(
                LoanRecord.school_id == school,
                LoanRecord.borrowed_at <= as_of,
                or_(LoanRecord.is_open, LoanRecord.returned_at > as_of),
            )
        )
        .scalars()
        .all()
    )

    by_kind = Counter(titles[copy_id][2] for copy_id, _ in borrowed if copy_id in titles)
    out_by_kind = Counter(titles[loan.copy_id][2] for loan in open_at_as_of if loan.copy_id in titles)
    overdue = sorted((loan for loan in open_at_as_of if loan.due_at < as_of), key=lambda loan: loan.due_at)
    overdue_by_kind = Counter(titles[loan.copy_id][2] for loan in overdue if loan.copy_id in titles)
    kinds_table = Table(
        "by_kind",
        t("lending.by_kind"),
        [
            Column(t("col.kind")),
            Column(t("lending.borrowed"), Kind.INT),
            Column(t("lending.returned"), Kind.INT),
            Column(t("lending.out"), Kind.INT),
            Column(t("lending.overdue"), Kind.INT),
        ],
        [
            [t(f"kind.{k.value}"), by_kind[k], returned_in_period[k], out_by_kind[k], overdue_by_kind[k]]
            for k in ItemKind
        ],
        total=[
            t("common.total"),
            sum(by_kind.values()),
            sum(returned_in_period.values()),
            sum(out_by_kind.values()),
            sum(overdue_by_kind.values()),
        ],
    )

    popular = Counter((titles[c][1], titles[c][2]) for c, _ in borrowed if c in titles).most_common(20)
    popular_table = Table(
        "most_borrowed",
        t("lending.most_borrowed"),
        [
            Column(t("col.rank"), Kind.INT),
            Column(t("col.title")),
            Column(t("col.kind")),
            Column(t("lending.loans"), Kind.INT),
        ],
        [[i, title, t(f"kind.{kind.value}"), n] for i, ((title, kind), n) in enumerate(popular, start=1)],
    )

    def who(child_id: uuid.UUID) -> tuple[str, str]:
        child = names.get(child_id)
        return (child.class_name, child.name) if child else ("", t("common.unknown"))

    overdue_table = Table(
        "overdue",
        t("lending.overdue_list", as_of=basis.local(as_of).strftime("%Y-%m-%d")),
        [
            Column(t("col.class")),
            Column(t("col.child")),
            Column(t("col.title")),
            Column(t("col.barcode")),
            Column(t("lending.borrowed_on"), Kind.DATE),
            Column(t("lending.due_on"), Kind.DATE),
            Column(t("lending.days_overdue"), Kind.INT),
        ],
        [
            [
                *who(loan.child_id),
                titles.get(loan.copy_id, ("", "", ItemKind.OTHER, None))[1],
                titles.get(loan.copy_id, ("", "", ItemKind.OTHER, None))[0],
                basis.local(loan.borrowed_at).date(),
                basis.local(loan.due_at).date(),
                (basis.local(as_of).date() - basis.local(loan.due_at).date()).days,
            ]
            for loan in overdue
        ],
        personal=True,
    )
    damage_table, money_figures = compensation.table(basis, titles, who)
    return Report(
        "lending",
        t("report.lending"),
        basis.school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [kinds_table, popular_table, overdue_table, damage_table, *_stocktakes(basis, titles)],
        figures=[
            (t("lending.borrowed"), str(sum(by_kind.values()))),
            (t("lending.out"), str(len(open_at_as_of))),
            (t("lending.overdue"), str(len(overdue))),
            *money_figures,
        ],
    )


def _stocktakes(basis: Basis, titles: dict[uuid.UUID, tuple[str, str, ItemKind, int | None]]) -> list[Table]:
    t = basis.t
    takes = basis.session.scalars(
        select(StocktakeRecord)
        .where(
            StocktakeRecord.school_id == basis.school.id,
            basis.during(StocktakeRecord.finished_at),
        )
        .order_by(StocktakeRecord.finished_at)
    ).all()
    summary = Table(
        "stocktakes",
        t("lending.stocktakes"),
        [
            Column(t("lending.stocktake_on"), Kind.DATE),
            Column(t("lending.scanned"), Kind.INT),
            Column(t("lending.missing"), Kind.INT),
            Column(t("lending.unexpected"), Kind.INT),
        ],
        [
            [
                basis.local(s.finished_at).date(),
                s.scanned_count,
                len(s.missing_copy_ids),
                len(s.unexpected_barcodes),
            ]
            for s in takes
        ],
    )
    details = []
    for take in takes:
        day = basis.local(take.finished_at).date()
        for copy_id in take.missing_copy_ids:
            barcode, title, kind, _price = titles.get(uuid.UUID(copy_id), ("?", "?", ItemKind.OTHER, None))
            details.append([day, t("lending.missing_one"), barcode, title, t(f"kind.{kind.value}")])
        for barcode in take.unexpected_barcodes:
            details.append([day, t("lending.unexpected_one"), barcode, "", ""])
    difference = Table(
        "stocktake_differences",
        t("lending.stocktake_differences"),
        [
            Column(t("lending.stocktake_on"), Kind.DATE),
            Column(t("lending.difference")),
            Column(t("col.barcode")),
            Column(t("col.title")),
            Column(t("col.kind")),
        ],
        details,
    )
    return [summary, difference]


def build_assets(basis: Basis) -> Report:
    """资产登记造册: every title with its copies by state today, and the value at list price."""
    t = basis.t
    school = basis.school.id
    on_loan = Counter(
        dict(
            basis.session.execute(
                select(CentralCopy.item_id, func.count())
                .join(LoanRecord, and_(LoanRecord.copy_id == CentralCopy.id, LoanRecord.school_id == school))
                .where(CentralCopy.school_id == school, LoanRecord.is_open)
                .group_by(CentralCopy.item_id)
            ).all()
        )
    )
    counts: dict[uuid.UUID, Counter[CopyStatus]] = {}
    for item_id, status, n in basis.session.execute(
        select(CentralCopy.item_id, CentralCopy.status, func.count())
        .where(CentralCopy.school_id == school)
        .group_by(CentralCopy.item_id, CentralCopy.status)
    ):
        counts.setdefault(item_id, Counter())[status] = n
    items = basis.session.scalars(
        select(CentralCatalogueItem)
        .where(CentralCatalogueItem.school_id == school)
        .order_by(CentralCatalogueItem.kind, CentralCatalogueItem.title)
    ).all()
    rows, sums = [], [0] * 7
    for item in items:
        c = counts.get(item.id, Counter())
        copies = sum(c.values())
        in_service = c[CopyStatus.IN_SERVICE]
        value = None if item.price_fen is None else item.price_fen * (copies - c[CopyStatus.WITHDRAWN])
        numbers = [
            copies,
            in_service,
            on_loan[item.id],
            c[CopyStatus.DAMAGED],
            c[CopyStatus.LOST],
            c[CopyStatus.WITHDRAWN],
            value or 0,
        ]
        sums = [a + b for a, b in zip(sums, numbers, strict=True)]
        rows.append(
            [
                t(f"kind.{item.kind.value}"),
                item.title,
                item.author or "",
                item.price_fen,
                *numbers[:6],
                value,
            ]
        )
    table = Table(
        "assets",
        t("assets.title"),
        [
            Column(t("col.kind")),
            Column(t("col.title")),
            Column(t("assets.author")),
            Column(t("col.price"), Kind.MONEY),
            Column(t("assets.copies"), Kind.INT),
            Column(t("assets.in_service"), Kind.INT),
            Column(t("assets.on_loan"), Kind.INT),
            Column(t("assets.damaged"), Kind.INT),
            Column(t("assets.lost"), Kind.INT),
            Column(t("assets.withdrawn"), Kind.INT),
            Column(t("assets.value"), Kind.MONEY),
        ],
        rows,
        total=[t("common.total"), t("assets.titles_count", count=len(rows)), None, None, *sums],
    )
    return Report(
        "assets",
        t("report.assets"),
        basis.school.name,
        None,
        t("assets.as_of", day=basis.local(basis.now).strftime("%Y-%m-%d")),
        basis.now,
        [table],
        figures=[
            (t("assets.titles"), str(len(rows))),
            (t("assets.copies"), str(sums[0])),
            (t("assets.value"), f"{sums[6] / 100:.2f}"),
        ],
        notes=[t("assets.note")],
    )
