"""电视、VCD放映登记 for the room-use report: each showing with its time, content and how many watched,
and who watched (names: a personal table), as the paper register asks (时间、观看内容及人员签名)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select

from sync.server.models import ShowingRecord, ShowingViewerRecord
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Table


def tables(basis: Basis) -> tuple[list[Table], list[tuple[str, str]]]:
    """The showings table, the viewers table, and the report's figures about them."""
    t = basis.t
    school, period = basis.school.id, basis.period
    shows = basis.session.scalars(
        select(ShowingRecord)
        .where(
            ShowingRecord.school_id == school,
            ShowingRecord.day >= period.start,
            ShowingRecord.day <= period.end,
        )
        .order_by(ShowingRecord.starts_at)
    ).all()
    viewers: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if shows:
        for showing_id, child_id in basis.session.execute(
            select(ShowingViewerRecord.showing_id, ShowingViewerRecord.child_id)
            .where(
                ShowingViewerRecord.school_id == school,
                ShowingViewerRecord.showing_id.in_([s.showing_id for s in shows]),
            )
            .order_by(ShowingViewerRecord.joined_at)
        ):
            viewers[showing_id].append(child_id)
    showings = Table(
        "showings",
        t("room.showings"),
        [
            Column(t("room.date"), Kind.DATE),
            Column(t("room.showing_time"), Kind.TIME),
            Column(t("room.medium")),
            Column(t("room.content")),
            Column(t("room.viewers"), Kind.INT),
        ],
        [
            [
                s.day,
                basis.local(s.starts_at),
                t(f"medium.{s.medium.value}"),
                s.content,
                len(viewers[s.showing_id]),
            ]
            for s in shows
        ],
        total=[t("room.showings_count", count=len(shows)), None, None, None, sum(map(len, viewers.values()))],
    )
    names = {c.id: c for c in basis.children()}
    who = Table(
        "showing_viewers",
        t("room.showing_viewers"),
        [
            Column(t("room.date"), Kind.DATE),
            Column(t("room.showing_time"), Kind.TIME),
            Column(t("room.content")),
            Column(t("col.class")),
            Column(t("col.child")),
        ],
        [
            [
                s.day,
                basis.local(s.starts_at),
                s.content,
                names[child_id].class_name if child_id in names else "",
                names[child_id].name if child_id in names else t("common.unknown"),
            ]
            for s in shows
            for child_id in viewers[s.showing_id]
        ],
        personal=True,
    )
    figures = [
        (t("room.showings_label"), str(len(shows))),
        (t("room.viewers_label"), str(sum(map(len, viewers.values())))),
    ]
    return [showings, who], figures
