"""The school administrator's side of the care network: pairing teachers with children (by child or
by class) from a day to a day, the children left without a 代理家长, the school's targets, the table
per teacher for a semester or a school year (on the page, as XLSX with its signature lines, as CSV),
and who is overdue — per teacher and per child."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from sync.server.core.school_settings import settings_of, updated_settings
from sync.server.models import CareCadence, CarePair, OfficeUser
from sync.server.office.care import overview, pairs
from sync.server.office.fields import FieldProblem
from sync.server.office.schools import classes_of
from sync.server.reports import care_table
from sync.server.reports.basis import basis_for
from sync.server.reports.care_progress import by_teacher
from sync.server.reports.care_windows import school_year, year_label
from sync.server.reports.csv_export import report_csv
from sync.server.reports.period import Period, recent_semesters, semester_of
from sync.server.reports.table import Report
from sync.server.reports.xlsx import report_xlsx
from sync.server.web.context import Manager, ManagerForm, OfficeError, SchoolViewer
from sync.server.web.forms import day, value
from sync.server.web.pages.children import today_of
from sync.server.web.pages.reports import XLSX, download, file_name_part, period_for
from sync.server.web.render import page

router = APIRouter()
TARGET_KEYS = ("talk_cadence", "visits_per_semester", "family_contact_cadence", "children_per_teacher")


def _base(current: SchoolViewer) -> str:
    return f"/office/s/{current.school.id}/care"


UNPAIRED_ROWS = 60  # more than this, and the list is shown a class at a time


def _pairs_page(
    current: SchoolViewer, status: int = 200, problem: str = "", done: str = "", klass: str = ""
) -> Response:
    today = today_of(current)
    with current.reading() as session:
        running = pairs.current_pairs(session, current.school.id, today)
        unpaired = pairs.unpaired_children(session, current.school.id, today)
        teachers = pairs.teachers_of(session, current.school.id)
        classes = classes_of(session, current.school.id)
    load: dict[uuid.UUID, int] = {}
    for view in running:
        if view.pair.child_id is not None and view.pair.starts_on <= today:
            load[view.pair.teacher_id] = load.get(view.pair.teacher_id, 0) + 1
    per_class: dict[str, int] = {}
    for child in unpaired:
        per_class[child.class_name] = per_class.get(child.class_name, 0) + 1
    if len(unpaired) > UNPAIRED_ROWS:
        klass = klass if klass in per_class else next(iter(per_class))
    shown = [c for c in unpaired if c.class_name == klass] if klass else unpaired
    current.audit("view_care_pairs", school_id=current.school.id, unpaired=len(unpaired), shown=len(shown))
    return page(
        current,
        "care_pairs.html",
        status,
        running=running,
        unpaired=shown,
        unpaired_total=len(unpaired),
        per_class=per_class,
        klass=klass,
        teachers=teachers,
        classes=classes,
        load=load,
        settings=settings_of(current.school),
        cadences=list(CareCadence),
        today=today,
        problem=problem,
        done=done,
    )


@router.get("/s/{school_id}/care/pairs")
def pair_list(current: Manager, problem: str = "", done: str = "", klass: str = "") -> Response:
    return _pairs_page(current, problem=problem, done=done, klass=klass)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise FieldProblem("teacher_unknown") from None


@router.post("/s/{school_id}/care/pairs/{how}")
def add_pair(how: Literal["child", "class"], current: ManagerForm) -> Response:
    form, today = current.fields, today_of(current)
    try:
        starts_on = day(form, "starts_on", today)
        ends_text = value(form, "ends_on")
        ends_on = day(form, "ends_on", today) if ends_text else None
        teacher_id = _uuid(value(form, "teacher_id"))
        with current.writing() as session:
            if how == "child":
                pair = pairs.pair_child(
                    session,
                    current.school.id,
                    settings_of(current.school),
                    teacher_id=teacher_id,
                    child_id=_uuid(value(form, "child_id")),
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
                subject = f"child:{pair.child_id}"
            else:
                pair = pairs.pair_class(
                    session,
                    current.school.id,
                    teacher_id=teacher_id,
                    class_name=value(form, "class_name"),
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
                subject = f"user:{teacher_id}"
            current.audit(
                "care_paired",
                session=session,
                school_id=current.school.id,
                subject=subject,
                teacher=teacher_id,
                klass=pair.class_name,
                starts_on=starts_on.isoformat(),
                ends_on=ends_on.isoformat() if ends_on else None,
            )
    except FieldProblem as problem:
        return _pairs_page(current, 400, problem=problem.code)
    return RedirectResponse(f"{_base(current)}/pairs?done=paired", status_code=303)


@router.post("/s/{school_id}/care/pairs/{pair_id}/end")
def end_pair(pair_id: uuid.UUID, current: ManagerForm) -> Response:
    try:
        last = day(current.fields, "last_day", today_of(current))
    except FieldProblem as problem:
        return _pairs_page(current, 400, problem=problem.code)
    with current.writing() as session:
        pair = current.owned(session, CarePair, pair_id)
        subject = f"child:{pair.child_id}" if pair.child_id else f"user:{pair.teacher_id}"
        removed = pairs.end_pair(session, pair, last)
        current.audit(
            "care_pair_ended",
            session=session,
            school_id=current.school.id,
            subject=subject,
            teacher=pair.teacher_id,
            last_day=last.isoformat(),
            removed=removed,
        )
    return RedirectResponse(f"{_base(current)}/pairs?done=ended", status_code=303)


@router.post("/s/{school_id}/care/targets")
def save_targets(current: ManagerForm) -> Response:
    changes = {key: value(current.fields, key).strip() for key in TARGET_KEYS if key in current.fields}
    try:
        with current.writing() as session:
            school = session.get(type(current.school), current.school.id)
            assert school is not None
            updated_settings(school, changes)
            current.audit("settings_changed", session=session, school_id=school.id, keys=sorted(changes))
    except ValidationError:
        return _pairs_page(current, 400, problem="target_invalid")
    return RedirectResponse(f"{_base(current)}/pairs?done=targets", status_code=303)


def table_period(current: SchoolViewer, code: str) -> tuple[Period, str]:
    """A semester (`semester:2026-autumn`) or a school year (`year:2026`, autumn 2026 to summer 2027)."""
    settings = settings_of(current.school)
    if code.startswith("year:"):
        try:
            chosen = school_year(int(code.removeprefix("year:")), settings)
        except ValueError:
            raise OfficeError(400, "bad_period") from None
        return chosen, year_label(chosen, current.locale)
    chosen = period_for(current, code)
    if not chosen.code.startswith("semester:"):
        raise OfficeError(400, "bad_period")
    return chosen, chosen.label(current.locale)


def _year_choices(current: SchoolViewer) -> list[tuple[str, str]]:
    settings, today = settings_of(current.school), today_of(current)
    first = semester_of(today, settings)
    start_year = first.start.year if first.code.endswith("autumn") else first.start.year - 1
    return [
        (f"year:{y}", year_label(school_year(y, settings), current.locale))
        for y in range(start_year, start_year - 3, -1)
    ]


def _teacher_report(current: SchoolViewer, code: str) -> Report:
    chosen, label = table_period(current, code)
    with current.reading() as session:
        return care_table.build(
            basis_for(session, current.school, chosen, current.now(), current.locale), label
        )


@router.get("/s/{school_id}/care/teachers")
def teacher_table(current: Manager, period: str = "") -> Response:
    report = _teacher_report(current, period)
    settings = settings_of(current.school)
    current.audit(
        "view_care_table", school_id=current.school.id, period=report.period.code if report.period else ""
    )
    return page(
        current,
        "care_teachers.html",
        report=report,
        chosen=period or (report.period.code if report.period else ""),
        semesters=recent_semesters(today_of(current), settings),
        years=_year_choices(current),
    )


@router.get("/s/{school_id}/care/overdue")
def overdue(current: Manager) -> Response:
    """Who is overdue today: per teacher (how many of their children, per kind) and per child."""
    settings = settings_of(current.school)
    with current.reading() as session:
        late, statuses, carers = overview.overdue_lists(session, current.school, settings, today_of(current))
        names = overview.author_names(session, {t for ts in carers.values() for t in ts})
    per_teacher = by_teacher(statuses, carers)
    current.audit("view_care_overdue", school_id=current.school.id, shown=len(late))
    return page(
        current,
        "care_overdue.html",
        per_teacher=sorted(per_teacher.items(), key=lambda item: names.get(item[0], "")),
        late=late,
        names=names,
    )


@router.get("/s/{school_id}/care/teachers/export")
def teacher_table_export(
    current: Manager, period: str = "", format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    report = _teacher_report(current, period)
    current.audit(
        "export",
        school_id=current.school.id,
        subject=f"report:{care_table.SLUG}",
        period=report.period.code if report.period else "",
        format=format,
        personal=False,
    )
    name = file_name_part(f"{current.school.name}-{report.title}-{report.period_label}")
    if format == "csv":
        return download(report_csv(report), f"{name}.csv", "text/csv; charset=utf-8")
    return download(report_xlsx(report, current.locale), f"{name}.xlsx", XLSX)


@router.get("/s/{school_id}/care/teachers/{teacher_id}")
def teacher_children(teacher_id: uuid.UUID, current: Manager) -> Response:
    """One teacher's children today, with what is due and overdue: the school checking the work."""
    settings = settings_of(current.school)
    with current.reading() as session:
        teacher = current.owned(session, OfficeUser, teacher_id)
        cards = overview.my_children(session, current.school, settings, teacher.id, today_of(current))
    current.audit(
        "view_care_list", school_id=current.school.id, subject=f"user:{teacher.id}", shown=len(cards)
    )
    return page(
        current, "care_mine.html", cards=cards, settings=settings, teacher=teacher, due=None, overdue=None
    )
