"""A school's first page: this semester at a glance, with the charts people would rather look at than
read — calls per week, visits per day over the last month, contact compliance per class — and what
needs someone: overdue contacts (a count; names are in the contact report), open conflicts, kiosks
that have not synced for a while.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from sync.server.core.school_settings import settings_of
from sync.server.devices import provisioning
from sync.server.office import conflicts as office_conflicts
from sync.server.office.accounts.access import Right
from sync.server.reports import contact, room_use, statistics
from sync.server.reports.basis import basis_for
from sync.server.reports.period import day_range, semester_of
from sync.server.web.charts import svg
from sync.server.web.context import ReportReader
from sync.server.web.render import page

router = APIRouter()
STALE_AFTER = timedelta(days=2)


@router.get("/s/{school_id}/")
def overview(current: ReportReader) -> Response:
    now = current.now()
    settings = settings_of(current.school)
    today = now.astimezone(settings.zone).date()
    semester = semester_of(today, settings)
    with current.reading() as session:
        stats = statistics.build(basis_for(session, current.school, semester, now, current.locale))
        contacts = contact.build(basis_for(session, current.school, semester, now, current.locale))
        month = day_range(today - timedelta(days=29), today)
        room = room_use.build(basis_for(session, current.school, month, now, current.locale))
        conflicts, set_aside = office_conflicts.open_counts(session, current.school.id)
        kiosks = provisioning.active_devices_of(session, current.school.id)
    stale = [k for k in kiosks if k.last_seen_at is None or now - k.last_seen_at > STALE_AFTER]
    charts = [
        (chart.title, svg(chart))
        for chart in (
            contacts.charts[0],
            room.charts[0],
            contacts.charts[1],
        )
    ]
    return page(
        current,
        "overview.html",
        semester=semester,
        figures=stats.figures[:2] + contacts.figures[1:3] + room.figures[:1],
        charts=charts,
        open_conflicts=conflicts or 0,
        set_aside=set_aside or 0,
        kiosks=kiosks,
        stale_kiosks=stale,
        manage=current.can(Right.MANAGE),
    )
