"""突发事件: in administrator mode, one tap shows a child's guardian's and parents' numbers, and an
incident record lists who must be told by when — school leaders and the entrusted guardian within 20
or 30 minutes, the parents within an hour, the education bureau within two hours (the school's own
deadlines: the seeds disagree) — each notice ticked once, with the time it was done.

The deadlines are fixed on the incident when it is opened: changing the school's setting later does
not move the deadlines of an incident already under way. Full phone numbers leave this module only
for an administrator (`emergency_contacts` checks the staff member), never into logs or events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import NotifyParty, Relation
from db.ids import time_ordered_id
from db.models import Child, Contact, Incident, IncidentNotice
from kiosk.services.errors import AlreadyNotified, UnknownIncident
from kiosk.services.lookups import require_child, require_staff
from kiosk.services.uow import UnitOfWork

RECENT = 20


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    relation: Relation
    name: str
    phone: str  # in full: an administrator is about to ring it


@dataclass(frozen=True, slots=True)
class EmergencyCard:
    child_id: uuid.UUID
    child_name: str
    class_name: str
    contacts: list[EmergencyContact]


@dataclass(frozen=True, slots=True)
class Notice:
    party: NotifyParty
    due_at: datetime
    notified_at: datetime | None

    @property
    def late(self) -> bool:
        """Told after the deadline (or, still untold, past it: see `overdue_at`)."""
        return self.notified_at is not None and self.notified_at > self.due_at

    def overdue_at(self, now: datetime) -> bool:
        return self.notified_at is None and now > self.due_at


@dataclass(frozen=True, slots=True)
class IncidentView:
    incident_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    class_name: str
    opened_at: datetime
    notices: list[Notice]  # soonest deadline first

    @property
    def all_told(self) -> bool:
        return all(n.notified_at is not None for n in self.notices)


def emergency_contacts(uow: UnitOfWork, staff_id: uuid.UUID, child_id: uuid.UUID) -> EmergencyCard:
    """Every person on the child's card with the full number — also those the child may not call: in
    an emergency the school rings whoever can be reached. Parents first, then the guardian."""
    with uow.read() as session:
        require_staff(session, staff_id)
        child = require_child(session, child_id)
        order = list(Relation)
        contacts = sorted(
            session.scalars(select(Contact).where(Contact.child_id == child_id)),
            key=lambda c: order.index(c.relation),
        )
        return EmergencyCard(
            child.id,
            child.name,
            child.class_name,
            [EmergencyContact(c.relation, c.name, c.phone) for c in contacts],
        )


def open_incident(uow: UnitOfWork, staff_id: uuid.UUID, child_id: uuid.UUID) -> IncidentView:
    """Record the emergency now; every party's deadline runs from this moment."""
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        require_child(session, child_id)
        now = uow.clock.now()
        incident = Incident(id=time_ordered_id(), child_id=child_id, opened_at=now, opened_by=staff_id)
        within = uow.settings.notify_within_minutes
        incident.notices = [
            IncidentNotice(party=party, due_at=now + timedelta(minutes=within[party]))
            for party in NotifyParty
        ]
        session.add(incident)
        session.flush()
        uow.record(incident.opened_event())
        view = _view(session, incident)
        uow.commit()
        return view


def mark_notified(
    uow: UnitOfWork, staff_id: uuid.UUID, incident_id: uuid.UUID, party: NotifyParty
) -> IncidentView:
    """已通知: ticked once with the time it was done; a second tick is refused (it would rewrite when)."""
    with uow:
        session = uow.session
        require_staff(session, staff_id)
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise UnknownIncident()
        notice = session.get(IncidentNotice, (incident_id, party))
        if notice is None:
            raise UnknownIncident()
        if notice.notified_at is not None:
            raise AlreadyNotified(party=party.value)
        notice.notified_at = uow.clock.now()
        notice.notified_by = staff_id
        uow.record(notice.notified_event())
        session.flush()
        view = _view(session, incident)
        uow.commit()
        return view


def incident(uow: UnitOfWork, incident_id: uuid.UUID) -> IncidentView:
    with uow.read() as session:
        found = session.get(Incident, incident_id)
        if found is None:
            raise UnknownIncident()
        return _view(session, found)


def recent_incidents(uow: UnitOfWork) -> list[IncidentView]:
    """Newest first: those still open at the top of the administrator's page."""
    with uow.read() as session:
        rows = session.scalars(select(Incident).order_by(Incident.opened_at.desc()).limit(RECENT)).all()
        return [_view(session, row) for row in rows]


def _view(session: Session, row: Incident) -> IncidentView:
    child = session.get(Child, row.child_id)
    assert child is not None
    notices = sorted(row.notices, key=lambda n: (n.due_at, list(NotifyParty).index(n.party)))
    return IncidentView(
        row.id,
        child.id,
        child.name,
        child.class_name,
        row.opened_at,
        [Notice(n.party, n.due_at, n.notified_at) for n in notices],
    )
