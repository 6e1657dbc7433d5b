"""Enrolment: an installed kiosk's first start (no school yet, so it asks to be enrolled), and
enrolling again as a new device.

An installed kiosk never loads demo data (deploy/install.sh runs it with --no-demo), so until it is
enrolled it has no roster, no staff and nobody who could open administrator mode. Its idle screen then
asks for the office's enrolment QR code (自助机 page): a USB scanner types its text,
`liushou-enrol:?server=<address>&code=<code>`, like a keyboard, and the kiosk enrols with it. The first
sync brings the school's children, cards and duty teachers with their cards and PINs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from db.models import Staff, SyncState
from kiosk.services.errors import EnrolmentFailed
from kiosk.services.uow import UnitOfWork
from sync.client.transport import Refused, TransportError, Unreachable

log = logging.getLogger(__name__)

SCHEME = "liushou-enrol"


class Enroller(Protocol):
    """The sync client as enrolment uses it (`sync.client.SyncClient` is one)."""

    @property
    def token_path(self) -> Path: ...

    def enrol(self, server_url: str, code: str, *, then_sync: bool = ...) -> Any: ...

    def enrol_as_new_device(self, server_url: str, code: str, *, then_sync: bool = ...) -> Any: ...


@dataclass(frozen=True, slots=True)
class EnrolmentScan:
    server: str
    code: str


class Need(StrEnum):
    FIRST = "first"  # never enrolled, nobody to open administrator mode
    NEW_DEVICE = "new_device"  # enrolled once, but its token is gone: a backup on a new SD card


@dataclass(frozen=True, slots=True)
class EnrolmentNeed:
    need: Need
    server_url: str | None  # the server it synced with, to fill in


def enrolment_needed(uow: UnitOfWork, token_path: Path | None) -> EnrolmentNeed | None:
    """What the kiosk must ask for at start, if anything.

    A kiosk started on a backup put on a new SD card has its school's roster but no device token (a
    token is never in a backup, sync.client.token_store) and an id the server knows: it cannot sync,
    and its duty teachers' PINs were sealed with the old card's key, so administrator mode is shut too.
    The idle screen then offers to re-enrol it as a new device, while children go on signing in."""
    with uow.read() as session:
        state = session.get(SyncState, 1)
        staff = session.scalar(select(func.count()).select_from(Staff)) or 0
    if state is None:
        return EnrolmentNeed(Need.FIRST, None) if staff == 0 else None
    if token_path is not None and not token_path.exists():
        return EnrolmentNeed(Need.NEW_DEVICE, state.server_url)
    return None


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


# What the server's refusals mean to the teacher at the screen (words under enrol.why.*).
_REASONS = {
    "enrolment_code_unknown": "code_unknown",
    "enrolment_code_used": "code_used",
    "enrolment_code_expired": "code_expired",
    "enrolment_throttled": "throttled",
    "device_already_enrolled": "already_enrolled",
    "device_enrolled_elsewhere": "enrolled_elsewhere",
    "unsent_for_another_school": "unsent_elsewhere",
}


def enrolment_reason(failure: Exception) -> str:
    """Why an enrolment failed, as a word the screen can say (the server's own sentence is English)."""
    if isinstance(failure, Refused):
        return _REASONS.get(failure.code, "refused")
    if isinstance(failure, Unreachable):
        return "unreachable"
    if isinstance(failure, ValueError):  # not an address, or plain http:// to another machine
        return "bad_address"
    return "refused"


def enrol(enroller: Enroller | None, scan: EnrolmentScan, *, as_new_device: bool = False) -> None:
    """Enrol with the office's code; `as_new_device`: under a fresh device id, keeping the unsent
    events (sync.client.new_identity). A kiosk with no sync client (no server configured and none
    given) cannot enrol: refused, with the reason the screen can say."""
    if enroller is None:
        raise EnrolmentFailed(reason="no_sync")
    enrol_with = enroller.enrol_as_new_device if as_new_device else enroller.enrol
    try:
        enrol_with(scan.server, scan.code, then_sync=False)
    except (TransportError, ValueError) as exc:
        log.warning("enrolment failed: %s", exc)  # the server's words: codes, never personal data
        raise EnrolmentFailed(reason=enrolment_reason(exc)) from exc
