"""The education bureau's county overview: every school of the county side by side for one period,
aggregates only, with the same figures each school's own reports give."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import County, OfficeRole
from sync.server.office.accounts import access
from sync.server.reports import county
from sync.server.reports.csv_export import report_csv
from sync.server.reports.period import PeriodError, month, parse_period, recent_semesters
from sync.server.reports.table import Report
from sync.server.reports.xlsx import report_xlsx
from sync.server.web.charts import svg
from sync.server.web.context import CurrentViewer, OfficeError, Viewer
from sync.server.web.pages.reports import XLSX, download, file_name_part
from sync.server.web.render import page

router = APIRouter()


def _county_of(current: Viewer) -> County:
    if current.user.role is not OfficeRole.BUREAU_VIEWER or current.user.county_id is None:
        raise OfficeError(404, "not_found")
    with current.reading() as session:
        found = session.get(County, current.user.county_id)
    if found is None:
        raise OfficeError(404, "not_found")
    return found


def _periods(current: Viewer) -> list[tuple[str, str]]:
    """Semesters and months as the county's default calendar names them; each school reads the code
    with its own semester days (sync.server.reports.county)."""
    settings = SchoolSettings()
    today = current.now().astimezone(settings.zone).date()
    choices = [(p.code, p.label(current.locale)) for p in recent_semesters(today, settings)]
    first = today.replace(day=1)
    for _ in range(12):
        period = month(first.year, first.month)
        choices.append((period.code, period.label(current.locale)))
        first = (first - timedelta(days=1)).replace(day=1)
    return choices


def _report(current: Viewer, period: str) -> tuple[County, str, Report]:
    found = _county_of(current)
    choices = _periods(current)
    code = period or choices[0][0]
    try:
        parse_period(code, SchoolSettings(), current.now().date())
    except PeriodError as exc:
        raise OfficeError(400, "bad_period") from exc
    with current.reading() as session:
        built = county.build(session, found, code, current.now(), current.locale)
    return found, code, built


@router.get("/county")
def county_overview(current: CurrentViewer, period: str = "") -> Response:
    found, code, report = _report(current, period)
    with current.reading() as session:
        schools = access.schools_of(session, current.user)
    return page(
        current,
        "county.html",
        county=found,
        report=report,
        charts=[(chart.title, svg(chart)) for chart in report.charts],
        periods=_periods(current),
        chosen=code,
        schools=schools,
    )


@router.get("/county/export")
def county_export(
    current: CurrentViewer, format: Literal["xlsx", "csv"] = "xlsx", period: str = ""
) -> Response:
    found, code, report = _report(current, period)
    current.audit(
        "export", school_id=None, subject="report:county", period=code, format=format, personal=False
    )
    name = file_name_part(f"{found.name}-{report.title}-{report.period_label}")
    if format == "csv":
        return download(report_csv(report), f"{name}.csv", "text/csv; charset=utf-8")
    return download(report_xlsx(report, current.locale), f"{name}.xlsx", XLSX)
