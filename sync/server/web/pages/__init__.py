"""One module per page or group of pages; each has its own `router`.

- signin: sign in and out, language, one's own account and password
- overview: a school's first page
- reports: the reports, their downloads, the semester-end archive
- children: the children's list, a child's record and timeline, editing, cards, leaving
- roster: classes, the roster's export and blank template
- roster_imports: importing a roster (upload, preview, unknown columns, confirm)
- catalogue: the room's books and equipment, their import (preview, confirm) and export
- catalogue_edit: correcting one title or one copy of the catalogue
- kiosks: rooms, enrolment codes with QR, revoking, each kiosk's state
- records: conflicts, the received events, the audit log
- school_admin: office users, the school's settings, erasure of personal data
- staff: the room's duty teachers for the kiosk: PINs and staff cards
- county: the education bureau's overview of its county
- care: 我的孩子, a teacher's phone view of their children and the 谈心 / 家访 / contact forms
- care_admin: pairs, targets, the table per teacher and the overdue lists
- counselling: counselling records, their content for counsellors only
- news: the school's activity news (活动信息), and the bureau's reading of it
- server_status: the server's health, its backups and their weekly restore check
"""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.web.pages import (
    care,
    care_admin,
    catalogue,
    catalogue_edit,
    children,
    counselling,
    county,
    kiosks,
    news,
    overview,
    records,
    reports,
    roster,
    roster_imports,
    school_admin,
    server_status,
    signin,
    staff,
)

ROUTERS: list[APIRouter] = [
    signin.router,
    overview.router,
    reports.router,
    children.router,
    roster.router,
    roster_imports.router,
    catalogue.router,
    catalogue_edit.router,
    kiosks.router,
    records.router,
    school_admin.router,
    staff.router,
    county.router,
    care_admin.router,  # before care: /care/teachers/… must not be read as a child's page
    care.router,
    counselling.router,
    news.router,
    server_status.router,
]
