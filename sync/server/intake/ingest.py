"""Taking in a batch of a kiosk's events: screen, store each exactly once, apply the facts.

Every event of a well-formed batch is answered, so the kiosk can mark the whole batch sent: stored as a
fact (new, or already stored: a resend), or set aside with its reason (sync.server.intake.screening). Only a
batch that repeats an id or seq within itself (422) or clashes with stored events (409) is refused
whole; no kiosk sends either unless its database was replaced.

Per batch the work is set-based (sync.server.intake.event_store, sync.server.intake.conflict_rules): one
statement per kind
of row, reads of what the batch names, nothing that grows with the history. One push is one transaction
holding the school's row lock (SQLite: the database lock), so two kiosks of one school are taken in one
after the other and the conflict rules always see each other's facts.

An event that passes screening but that the database still refuses (a constraint nobody foresaw) must
not fail its batch on every retry for ever: the batch is taken in again, halves in savepoints, down to
the single events the database refuses, which are set aside as could_not_store. Errors of the database
itself (connection lost, lock timeout) are not the events' fault and still fail the request (500), so
the kiosk retries later.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from sync.server import projections
from sync.server.api.errors import ApiError
from sync.server.intake import timefix
from sync.server.intake.conflict_rules import apply_facts
from sync.server.intake.event_store import Intake, store_facts, store_set_aside
from sync.server.intake.screening import Admitted, ToSetAside, screen
from sync.server.models import Device, School
from sync.server.models.facts import SetAsideReason
from sync.wire import PushAck, PushBatch

log = logging.getLogger("sync.server.intake.ingest")


@dataclass
class Taken:
    """What became of the admitted events of a batch (or of a part of it)."""

    new: int = 0
    duplicates: int = 0
    set_aside_before: int = 0  # sent again, and set aside the first time
    conflicts: int = 0
    refused: list[ToSetAside] = field(default_factory=list)  # refused by the database: to set aside

    def __add__(self, other: Taken) -> Taken:
        return Taken(
            self.new + other.new,
            self.duplicates + other.duplicates,
            self.set_aside_before + other.set_aside_before,
            self.conflicts + other.conflicts,
            self.refused + other.refused,
        )


def ingest(session: Session, device_id: uuid.UUID, batch: PushBatch, received_at: datetime) -> PushAck:
    try:
        return _ingest(session, device_id, batch, received_at, isolate=False)
    except StatementError as exc:  # DataError and IntegrityError among them
        if not _caused_by_the_data(exc):
            raise
        session.rollback()
        log.warning(
            "device %s: the database refused part of a batch (%s); taking its events in one by one",
            device_id,
            type(exc.orig or exc).__name__,
        )
        return _ingest(session, device_id, batch, received_at, isolate=True)


def take_in(intake: Intake, admitted: Sequence[Admitted]) -> Taken:
    """Store the admitted events, then run the per-batch steps on the newly stored ones (in seq
    order): the conflict rules, then the office's report records. Another set-based step goes here,
    called with the same `stored` list."""
    stored, tally = store_facts(intake, admitted)
    conflicts = apply_facts(intake.session, stored)
    projections.project(intake.session, intake.school, stored)
    return Taken(tally.new, tally.known, tally.known_elsewhere, conflicts)


def _ingest(
    session: Session, device_id: uuid.UUID, batch: PushBatch, received_at: datetime, *, isolate: bool
) -> PushAck:
    device, school = _pushing_device(session, device_id)
    screened = screen(batch)
    timefix.record_anchor(session, device.id, batch, received_at)
    session.flush()
    intake = Intake(
        session,
        school,
        device.id,
        batch.batch_id,
        received_at,
        timefix.anchors_for(session, device.id, {e.boot_id for e in batch.events}),
    )
    taken = _take_in_isolating(intake, screened.admitted) if isolate else take_in(intake, screened.admitted)
    set_aside = store_set_aside(intake, screened.set_aside + taken.refused)
    if set_aside.new:
        log.warning("device %s: %d event(s) set aside for the school office", device.id, set_aside.new)

    offset = timefix.clock_offset_ms(batch, received_at)
    device.last_seen_at = received_at
    device.kiosk_version = batch.kiosk_version or device.kiosk_version
    if batch.pending_after is not None:
        device.pending_events = batch.pending_after
    device.clock_offset_ms = offset
    device.clock_measured_at = received_at
    return PushAck(
        batch_id=batch.batch_id,
        acknowledged=len(batch.events),
        new=taken.new,
        duplicates=taken.duplicates + set_aside.known_elsewhere,
        set_aside=set_aside.new + set_aside.known + taken.set_aside_before,
        conflicts_flagged=taken.conflicts,
        server_time=received_at,
        clock_offset_ms=offset,
    )


def _pushing_device(session: Session, device_id: uuid.UUID) -> tuple[Device, School]:
    device = session.get(Device, device_id)
    if device is None or device.revoked_at is not None:
        raise ApiError(401, "token_revoked", "This kiosk's token has been revoked; enrol it again.")
    school = session.get(School, device.school_id, with_for_update=True)  # one push per school at a time
    assert school is not None
    return device, school


def _take_in_isolating(intake: Intake, admitted: Sequence[Admitted]) -> Taken:
    """take_in in a savepoint; when the database refuses, each half on its own, down to single events."""
    if not admitted:
        return Taken()
    try:
        with intake.session.begin_nested():
            return take_in(intake, admitted)
    except StatementError as exc:  # DataError and IntegrityError among them
        if not _caused_by_the_data(exc):
            raise
        if len(admitted) == 1:
            error = type(exc.orig or exc).__name__
            detail = {"problem": "the database refused this event", "error": error}
            return Taken(refused=[ToSetAside(admitted[0].wire, SetAsideReason.COULD_NOT_STORE, detail)])
        middle = len(admitted) // 2
        return _take_in_isolating(intake, admitted[:middle]) + _take_in_isolating(intake, admitted[middle:])


def _caused_by_the_data(exc: StatementError) -> bool:
    """A constraint or a value the database refused, or a value that could not even be sent to it,
    rather than the database failing (OperationalError and friends: those are retried, not set aside)."""
    return isinstance(exc, IntegrityError | DataError) or not isinstance(exc, DBAPIError)
