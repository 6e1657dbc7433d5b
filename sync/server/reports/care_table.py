"""帮扶工作统计表: per teacher, over a semester or a school year, the 谈心, 家访 and contacts with the
family they recorded, against the school's targets (sync.server.reports.care_progress), laid out as
the other reports so the page, the XLSX with its signature lines and the CSV show the same figures.

It names teachers, not children; it is the school administrator's (a teacher's appraisal data), so
the reports list, which staff and the bureau read, does not carry it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from sync.server.models import OfficeUser
from sync.server.reports.basis import Basis
from sync.server.reports.care_progress import TeacherProgress, id_key, record_days, teacher_progress
from sync.server.reports.care_windows import enrolled, pairings, pairs_overlapping
from sync.server.reports.table import Column, Kind, Report, Table, share

SLUG = "care-teachers"


def today_of(basis: Basis) -> date:
    return basis.local(basis.now).date()


def progress_of(basis: Basis) -> dict:
    """Each teacher's figures for the basis's period, judged today."""
    period, today = basis.period, today_of(basis)
    found = pairings(
        pairs_overlapping(basis.session, basis.school.id, period.start, period.end),
        enrolled(basis.session, basis.school.id, period.start, period.end),
        period.start,
        period.end,
    )
    records = record_days(basis.session, basis.school.id, period.start, min(period.end, today))
    return teacher_progress(
        found, records, basis.settings, period.start, period.end, today, id_key(basis.session)
    )


def build(basis: Basis, period_label: str | None = None) -> Report:
    t = basis.t
    progress = progress_of(basis)
    names = dict(
        basis.session.execute(
            select(OfficeUser.id, OfficeUser.display_name).where(OfficeUser.school_id == basis.school.id)
        ).all()
    )
    columns = [Column(t("care.table.teacher")), Column(t("care.table.children"), Kind.INT)]
    for kind in ("talk", "visit", "contact"):
        group = t(f"care.kind.{kind}")
        columns += [
            Column(t("care.table.count"), Kind.INT, group),
            Column(t("care.table.done"), Kind.INT, group),
            Column(t("care.table.required" if kind != "visit" else "care.table.target"), Kind.INT, group),
        ]
    columns.append(Column(t("care.table.rate"), Kind.PCT))
    rows, total = [], TeacherProgress(None)  # type: ignore[arg-type]
    ordered = sorted(progress.values(), key=lambda p: names.get(p.teacher_id, ""))
    for teacher in ordered:
        rows.append(_row(names.get(teacher.teacher_id, "—"), teacher))
        total.children |= teacher.children
        total.talk.add(teacher.talk)
        total.visit.add(teacher.visit)
        total.contact.add(teacher.contact)
    settings = basis.settings
    note = t(
        "care.table.note",
        talk=t(f"care.cadence.{settings.talk_cadence.value}"),
        visits=settings.visits_per_semester,
        contact=t(f"care.cadence.{settings.family_contact_cadence.value}"),
    )
    table = Table(
        "teachers",
        t("care.table.title"),
        columns,
        rows,
        total=_row(t("common.total"), total),
        note=note,
    )
    return Report(
        SLUG,
        t("care.table.title"),
        basis.school.name,
        basis.period,
        period_label or basis.period.label(basis.locale),
        basis.now,
        [table],
        figures=[
            (t("care.table.teachers"), str(len(rows))),
            (t("care.table.children"), str(len(total.children))),
            (t("care.table.rate"), "—" if total.rate is None else f"{total.rate:.1f}%"),
        ],
    )


def _row(name: str, progress: TeacherProgress) -> list[object]:
    row: list[object] = [name, len(progress.children)]
    for tally in (progress.talk, progress.visit, progress.contact):
        row += [tally.count, tally.done, tally.required]
    done = progress.talk.done + progress.visit.done + progress.contact.done
    required = progress.talk.required + progress.visit.required + progress.contact.required
    row.append(share(done, required))
    return row
