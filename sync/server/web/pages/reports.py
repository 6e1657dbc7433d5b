"""The school's reports: the list, each report for a chosen period, its XLSX and CSV downloads, and the
semester-end archive (学期末归档) with every report of a semester in one ZIP.

Tables that name children are shown only to users allowed to see children and exported only by users
allowed to export personal data; a download without that right leaves them out (and says so in the
page), a report that is nothing but names is refused. Every view that shows names, and every download,
is written to the audit log.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from sync.server.core.school_settings import settings_of
from sync.server.office.accounts.access import Right
from sync.server.office.care import archive as care_archive
from sync.server.reports.basis import Basis, basis_for
from sync.server.reports.catalogue import REPORTS, ReportSpec
from sync.server.reports.csv_export import report_csv
from sync.server.reports.period import Period, PeriodError, month, parse_period, recent_semesters, week_of
from sync.server.reports.table import Report
from sync.server.reports.xlsx import report_xlsx
from sync.server.web.charts import svg
from sync.server.web.context import Exporter, OfficeError, PersonalExporter, ReportReader, SchoolViewer
from sync.server.web.render import page

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_code(request: Request) -> str:
    """`period=…` from the picker, or `from=…&to=…` from the range form, as one period code."""
    query = request.query_params
    start, end = query.get("from", ""), query.get("to", "")
    if not query.get("period") and start and end:
        return f"range:{start}..{end}"
    return query.get("period", "")


PeriodCode = Annotated[str, Depends(period_code)]


def period_for(current: SchoolViewer, code: str | None, default: str = "semester") -> Period:
    settings = settings_of(current.school)
    today = current.now().astimezone(settings.zone).date()
    if not code and default == "week":
        return week_of(today)
    try:
        return parse_period(code, settings, today)
    except PeriodError as exc:
        raise OfficeError(400, "bad_period") from exc


def period_choices(current: SchoolViewer, chosen: Period) -> dict[str, object]:
    """What the period picker offers: recent semesters, the last twelve months, this and last week."""
    settings = settings_of(current.school)
    today = current.now().astimezone(settings.zone).date()
    months, first = [], today.replace(day=1)
    for _ in range(12):
        months.append(month(first.year, first.month))
        first = (first - timedelta(days=1)).replace(day=1)
    weeks = [week_of(today), week_of(today - timedelta(days=7))]
    return {
        "semesters": recent_semesters(today, settings),
        "months": months,
        "weeks": weeks,
        "chosen": chosen,
    }


def build_report(current: SchoolViewer, spec: ReportSpec, period: Period) -> Report:
    with current.reading() as session:
        basis: Basis = basis_for(session, current.school, period, current.now(), current.locale)
        return spec.build(basis)


def _spec(slug: str) -> ReportSpec:
    spec = REPORTS.get(slug)
    if spec is None:
        raise OfficeError(404, "not_found")
    return spec


@router.get("/s/{school_id}/reports")
def report_list(current: ReportReader, period: PeriodCode) -> Response:
    chosen = period_for(current, period)
    return page(
        current,
        "reports.html",
        reports=list(REPORTS),
        period=chosen,
        archive_semesters=recent_semesters(chosen.end, settings_of(current.school)),
        **period_choices(current, chosen),
    )


@router.get("/s/{school_id}/reports/{slug}")
def report_page(slug: str, current: ReportReader, period: str = "") -> Response:
    spec = _spec(slug)
    chosen = period_for(current, period, spec.default_period)
    report = build_report(current, spec, chosen)
    sees_children = current.can(Right.SEE_CHILDREN)
    shown = report if sees_children else report.without_personal()
    if sees_children and report.has_personal:
        current.audit(
            "view_report", school_id=current.school.id, subject=f"report:{slug}", period=chosen.code
        )
    return page(
        current,
        "report.html",
        report=shown,
        hidden_personal=report.has_personal and not sees_children,
        may_export=may_export(current, report),
        spec=spec,
        charts=[(chart.title, svg(chart)) for chart in report.charts],
        period=chosen,
        **period_choices(current, chosen),
    )


@router.get("/s/{school_id}/reports/{slug}/export")
def report_export(
    slug: str, current: Exporter, period: PeriodCode, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    spec = _spec(slug)
    chosen = period_for(current, period, spec.default_period)
    report = exportable(current, build_report(current, spec, chosen))
    current.audit(
        "export",
        school_id=current.school.id,
        subject=f"report:{slug}",
        period=chosen.code,
        format=format,
        personal=report.has_personal,
    )
    name = file_name_part(f"{current.school.name}-{report.title}-{report.period_label}")
    if format == "csv":
        return download(report_csv(report), f"{name}.csv", "text/csv; charset=utf-8")
    return download(report_xlsx(report, current.locale), f"{name}.xlsx", XLSX)


def may_export(current: SchoolViewer, report: Report) -> bool:
    """Whether the download buttons lead anywhere: a report of names only is not for a user who may
    not export personal data (the button would only lead to "forbidden")."""
    if not current.can(Right.EXPORT):
        return False
    return current.can(Right.EXPORT_PERSONAL) or any(not table.personal for table in report.tables)


def exportable(current: SchoolViewer, report: Report) -> Report:
    if current.can(Right.EXPORT_PERSONAL):
        return report
    aggregate = report.without_personal()
    if not aggregate.tables:
        raise OfficeError(403, "no_personal_export")
    return aggregate


@router.get("/s/{school_id}/archive")
def semester_archive(current: PersonalExporter, period: PeriodCode) -> Response:
    """学期末归档: every report of one semester, as XLSX, in one ZIP; the weekly call register for the
    whole semester; the asset register as of the day it is made; and the care network's files — the
    table per teacher, each class's 成长记录, the 活动信息 with their photos (office.care.archive)."""
    chosen = period_for(current, period)
    if not chosen.code.startswith("semester:"):
        raise OfficeError(400, "bad_period")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, spec in enumerate(REPORTS.values(), start=1):
            report = build_report(current, spec, chosen)
            archive.writestr(
                f"{number:02d}-{file_name_part(report.title)}.xlsx", report_xlsx(report, current.locale)
            )
        with current.reading() as session:
            basis = basis_for(session, current.school, chosen, current.now(), current.locale)
            numbered: dict[str, str] = {}  # a folder (成长记录, 活动信息) takes one number, as a file does
            for path, content in care_archive.care_files(basis, file_name_part):
                top, slash, rest = path.partition("/")
                if top not in numbered:
                    number += 1
                    numbered[top] = f"{number:02d}-{top}"
                archive.writestr(numbered[top] + slash + rest, content)
    current.audit(
        "export",
        school_id=current.school.id,
        subject="archive",
        period=chosen.code,
        format="zip",
        personal=True,
    )
    name = f"{current.school.name}-{chosen.label(current.locale)}-{current.t('archive.file_word')}"
    return download(buffer.getvalue(), f"{file_name_part(name)}.zip", "application/zip")


def file_name_part(text: str) -> str:
    """Text fit for a file name on Windows, where schools open the files: no \\ / : * ? " < > |."""
    cleaned = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned or "_"


def download(content: bytes, filename: str, media_type: str) -> Response:
    """A file to save, named in Chinese for browsers that read RFC 5987 and in ASCII for the rest."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
