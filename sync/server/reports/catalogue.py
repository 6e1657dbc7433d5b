"""The school reports by name: what each is called, what period it covers by default, how it is built.

The page, the downloads and the semester-end archive (学期末归档) all go through this list, so a
report added here is on the reports page, downloadable, and in the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sync.server.reports import contact, incidents, lending, room_use, statistics
from sync.server.reports.basis import Basis
from sync.server.reports.table import Report


@dataclass(frozen=True, slots=True)
class ReportSpec:
    slug: str
    build: Callable[[Basis], Report]
    default_period: str  # "semester" | "week" | "none" (the asset register is a stock as of today)


REPORTS: dict[str, ReportSpec] = {
    spec.slug: spec
    for spec in (
        ReportSpec("statistics", statistics.build, "semester"),
        ReportSpec("contact", contact.build, "semester"),
        ReportSpec("register", contact.build_register, "week"),
        ReportSpec("room", room_use.build, "semester"),
        ReportSpec("lending", lending.build, "semester"),
        ReportSpec("assets", lending.build_assets, "none"),
        ReportSpec("incidents", incidents.build, "semester"),
    )
}
