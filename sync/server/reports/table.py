"""The one shape every report takes, so the page, the XLSX and the CSV always show the same figures.

A report is a title, a school, a period and a list of tables (plus charts for the page); a table is
columns, rows and an optional total row, each value typed by its column. Labels are already in the
reader's language when a report is built. A table that names children or their callees is `personal`:
it is shown only to users allowed to see children, and exported only by those allowed to export
personal data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sync.server.reports.period import Period


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    PCT = "pct"  # a share in percent, 0-100, one decimal
    DAYS = "days"  # a number of days, one decimal
    DATE = "date"
    TIME = "time"  # a local datetime shown as HH:MM
    DATETIME = "datetime"  # a local datetime
    MONEY = "money"  # fen, shown as yuan


NUMERIC = {Kind.INT, Kind.PCT, Kind.DAYS, Kind.MONEY}


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    group: str | None = None  # a second header row above neighbouring columns with the same group


@dataclass
class Table:
    key: str  # stable name, e.g. "by_class"; the tests and the exports' sheet names use it
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None
    personal: bool = False
    note: str | None = None
    flagged: list[bool] = field(default_factory=list)  # rows to mark (e.g. a day under one hour)
    # The child each row is about, where the page may link a row's `link_column` to the child's record
    # (a list of children to complete); exports ignore both.
    child_ids: list[uuid.UUID] = field(default_factory=list)
    link_column: int | None = None

    def column(self, label: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.label == label)

    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def group_spans(self) -> list[tuple[Column, int]]:
        """The first header row when columns are grouped: each ungrouped column (spanning both rows)
        or the first column of a group, with how many columns the group covers."""
        spans: list[tuple[Column, int]] = []
        for column in self.columns:
            if spans and column.group and spans[-1][0].group == column.group:
                spans[-1] = (spans[-1][0], spans[-1][1] + 1)
            else:
                spans.append((column, 1))
        return spans


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    low: bool = False  # drawn in the warning colour (under a target)


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]
    unit: str = ""
    target: float | None = None  # a dashed line: a rule's minimum
    horizontal: bool = False


@dataclass
class Report:
    slug: str
    title: str
    school_name: str
    period: Period | None
    period_label: str
    generated_at: datetime
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)  # headline label, value
    notes: list[str] = field(default_factory=list)
    lead: str | None = None  # a line the page shows right under the title (e.g. the official definition)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def without_personal(self) -> Report:
        return Report(
            self.slug,
            self.title,
            self.school_name,
            self.period,
            self.period_label,
            self.generated_at,
            [t for t in self.tables if not t.personal],
            self.charts,
            self.figures,
            self.notes,
            self.lead,
        )

    @property
    def has_personal(self) -> bool:
        return any(t.personal for t in self.tables)


def share(part: int, whole: int) -> float | None:
    """A percentage, computed (never copied from a source), None when there is nothing to divide."""
    return None if whole == 0 else round(100 * part / whole, 1)


def as_text(value: Any, kind: Kind) -> str:
    """How a value reads on the page and in CSV (XLSX keeps numbers and dates typed)."""
    if value is None:
        return ""
    if kind is Kind.PCT or kind is Kind.DAYS:
        return f"{value:.1f}"
    if kind is Kind.MONEY:
        return f"{value / 100:.2f}"
    if kind is Kind.TIME and isinstance(value, datetime):
        return value.strftime("%H:%M")
    if kind is Kind.DATETIME and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
