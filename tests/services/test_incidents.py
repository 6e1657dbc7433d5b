"""突发事件: one tap shows who to ring for a child, and an incident lists who must be told by when, each
notice ticked once with its time; the deadlines are the school's settings."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from db.enums import NotifyParty, Relation
from kiosk.services import incidents
from kiosk.services.errors import AlreadyNotified, UnknownIncident, UnknownStaff
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def test_one_tap_shows_every_number_on_the_childs_card_to_an_administrator(room: Room) -> None:
    card = incidents.emergency_contacts(room.uow, room.staff(), room.child(0))
    on_file = {(c.relation, c.name, c.phone) for c in room.callees(0)}
    assert {(c.relation, c.name, c.phone) for c in card.contacts} == on_file
    relations = [c.relation for c in card.contacts]
    assert relations == sorted(relations, key=list(Relation).index)  # parents first
    with pytest.raises(UnknownStaff):
        incidents.emergency_contacts(room.uow, uuid.uuid4(), room.child(0))


def test_an_incident_lists_who_must_be_told_by_when(room: Room) -> None:
    opened = room.clock.now()
    view = incidents.open_incident(room.uow, room.staff(), room.child(0))
    assert [(n.party, n.due_at - opened) for n in view.notices] == [
        (NotifyParty.SCHOOL_LEADERS, timedelta(minutes=20)),
        (NotifyParty.GUARDIAN, timedelta(minutes=30)),
        (NotifyParty.PARENTS, timedelta(hours=1)),
        (NotifyParty.BUREAU, timedelta(hours=2)),
    ]
    [event] = room.events("incident.opened")
    assert {n["party"] for n in event.payload["notices"]} == {p.value for p in NotifyParty}


def test_each_notice_is_ticked_once_with_its_time(room: Room) -> None:
    view = incidents.open_incident(room.uow, room.staff(), room.child(0))
    room.clock.advance(minutes=12)
    view = incidents.mark_notified(room.uow, room.staff(), view.incident_id, NotifyParty.GUARDIAN)
    guardian = next(n for n in view.notices if n.party is NotifyParty.GUARDIAN)
    assert guardian.notified_at == room.clock.now() and not guardian.late
    room.clock.advance(minutes=1)
    before = room.state()
    with pytest.raises(AlreadyNotified):
        incidents.mark_notified(room.uow, room.staff(), view.incident_id, NotifyParty.GUARDIAN)
    with pytest.raises(UnknownIncident):
        incidents.mark_notified(room.uow, room.staff(), uuid.uuid4(), NotifyParty.PARENTS)
    assert room.state() == before
    [event] = room.events("incident.notified")
    assert event.payload["party"] == "guardian"


def test_a_notice_after_its_deadline_shows_as_late(room: Room) -> None:
    view = incidents.open_incident(room.uow, room.staff(), room.child(0))
    room.clock.advance(minutes=25)
    leaders = next(
        n
        for n in incidents.incident(room.uow, view.incident_id).notices
        if n.party is NotifyParty.SCHOOL_LEADERS
    )
    assert leaders.overdue_at(room.clock.now())
    view = incidents.mark_notified(room.uow, room.staff(), view.incident_id, NotifyParty.SCHOOL_LEADERS)
    leaders = next(n for n in view.notices if n.party is NotifyParty.SCHOOL_LEADERS)
    assert leaders.late and not view.all_told


def test_the_deadlines_are_the_schools_and_fixed_when_the_incident_opens(room: Room) -> None:
    with room.uow:
        save_setting(
            room.uow.session,
            "notify_within_minutes",
            {"school_leaders": 30, "guardian": 30, "parents": 60, "bureau": 120},
        )
        room.uow.commit()
    first = incidents.open_incident(room.uow, room.staff(), room.child(0))
    with room.uow:
        save_setting(
            room.uow.session,
            "notify_within_minutes",
            {"school_leaders": 20, "guardian": 20, "parents": 60, "bureau": 120},
        )
        room.uow.commit()
    again = incidents.incident(room.uow, first.incident_id)
    leaders = next(n for n in again.notices if n.party is NotifyParty.SCHOOL_LEADERS)
    assert leaders.due_at - again.opened_at == timedelta(minutes=30)
    room.clock.advance(minutes=1)
    latest = incidents.open_incident(room.uow, room.staff(), room.child(1))
    assert latest.notices[0].due_at - latest.opened_at == timedelta(minutes=20)
    assert [v.incident_id for v in incidents.recent_incidents(room.uow)] == [
        latest.incident_id,
        first.incident_id,
    ]
