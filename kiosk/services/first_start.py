"""An installed kiosk's first start: no school yet, so it asks to be enrolled.

An installed kiosk never loads demo data (deploy/install.sh runs it with --no-demo), so until it is
enrolled it has no roster, no staff and nobody who could open administrator mode. Its idle screen then
asks for the office's enrolment QR code (自助机 page): a USB scanner types its text,
`liushou-enrol:?server=<address>&code=<code>`, like a keyboard, and the kiosk enrols with it. The first
sync brings the school's children, cards and duty teachers with their cards and PINs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from db.models import Staff, SyncState
from kiosk.services.uow import UnitOfWork

SCHEME = "liushou-enrol"


@dataclass(frozen=True, slots=True)
class EnrolmentScan:
    server: str
    code: str


def needs_enrolment(uow: UnitOfWork) -> bool:
    """Not enrolled and nobody to open administrator mode: only the office's code can help."""
    with uow.read() as session:
        enrolled = session.get(SyncState, 1) is not None
        staff = session.scalar(select(func.count()).select_from(Staff)) or 0
    return not enrolled and staff == 0


def read_enrolment_scan(text: str) -> EnrolmentScan | None:
    """The office's QR code as a scanner types it, or None for anything else."""
    parts = urlsplit(text.strip())
    if parts.scheme != SCHEME:
        return None
    query = parse_qs(parts.query)
    server, code = query.get("server", [""])[0], query.get("code", [""])[0]
    if not server or not code:
        return None
    return EnrolmentScan(server, code)
