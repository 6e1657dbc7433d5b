"""What the kiosk shows about sync: the badge on the idle screen and the administrator's sync page.

The sync client produces it; the UI only reads it. Kept here, free of requests and Kivy, so both sides
agree on one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import OutboxEvent


@dataclass(frozen=True, slots=True)
class SyncStatus:
    configured: bool  # enrolled with a server at all
    online: bool  # the last attempt reached the server
    pending_events: int  # outbox events not yet acknowledged
    last_success_at: datetime | None
    last_error: str | None  # short, human-readable; never contains children's data
    server_url: str | None = None  # for the admin screen: which server this kiosk syncs to
    clock_offset_ms: int | None = None  # server minus kiosk clock at the last sync; the Pi has no RTC
    storage_full: str | None = None  # the data folder whose full card stopped the last attempt


def pending_event_count(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.sent_at.is_(None)))
        or 0
    )


def unconfigured_status(session: Session) -> SyncStatus:
    """The status of a kiosk that has not been enrolled with a server (yet)."""
    return SyncStatus(False, False, pending_event_count(session), None, None)
