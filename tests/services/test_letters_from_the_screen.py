"""家书: a letter home, or one from home, recorded from the screen — by the child herself after tapping
her card, or by the duty teacher for a child. Both count as family contact (写信或通话)."""

from __future__ import annotations

import uuid

import pytest

from db.enums import ContactCadence, LetterDirection
from db.models import FamilyLetter
from kiosk.services import calls, child_menu, letters, reports
from kiosk.services.errors import CalleeNotAllowed, UnknownStaff
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def first_contact(room: Room, n: int) -> uuid.UUID:
    return calls.callers_for(room.uow, room.child(n))[0].contact_id


def weekly(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "contact_cadence", ContactCadence.WEEKLY.value)
        room.uow.commit()


def test_the_child_records_the_letter_she_wrote_home_and_it_counts(room: Room) -> None:
    weekly(room)
    room.tap(0)
    assert child_menu.menu_for(room.uow, room.child(0)).remind_to_call  # due before
    letter_id = letters.record_letter(room.uow, room.child(0), first_contact(room, 0), LetterDirection.SENT)
    with room.uow.read() as session:
        row = session.get(FamilyLetter, letter_id)
        assert row is not None and row.logged_by_staff_id is None and row.direction is LetterDirection.SENT
    [event] = room.events("letter.recorded")
    assert event.payload["logged_by_staff_id"] is None and event.payload["direction"] == "sent"
    assert child_menu.menu_for(room.uow, room.child(0)).remind_to_call == ()
    assert room.child(0) not in {d.child_id for d in reports.contact_due_list(room.uow)}


def test_the_teacher_records_a_letter_from_home_for_a_child(room: Room) -> None:
    weekly(room)
    letters.record_letter(
        room.uow, room.child(1), first_contact(room, 1), LetterDirection.RECEIVED, staff_id=room.staff()
    )
    [event] = room.events("letter.recorded")
    assert event.payload["logged_by_staff_id"] == str(room.staff())
    assert room.child(1) not in {d.child_id for d in reports.contact_due_list(room.uow)}


def test_a_letter_from_anyone_on_her_card_counts_not_only_those_she_may_ring(room: Room) -> None:
    everyone = calls.callers_for(room.uow, room.child(0))
    for person in everyone:
        letters.record_letter(room.uow, room.child(0), person.contact_id, LetterDirection.RECEIVED)
    assert len(room.events("letter.recorded")) == len(everyone)


def test_a_letter_to_another_childs_parent_or_by_a_stranger_is_refused(room: Room) -> None:
    before = room.state()
    with pytest.raises(CalleeNotAllowed):
        letters.record_letter(room.uow, room.child(0), first_contact(room, 1), LetterDirection.SENT)
    with pytest.raises(UnknownStaff):
        letters.record_letter(
            room.uow, room.child(0), first_contact(room, 0), LetterDirection.SENT, staff_id=uuid.uuid4()
        )
    assert room.state() == before


def test_the_office_can_read_a_childs_letter_event() -> None:
    """The wire schema takes a letter with no teacher (the child logged it) and one with a teacher."""
    from db.events import parse_event

    base = {
        "letter_id": str(uuid.uuid4()),
        "child_id": str(uuid.uuid4()),
        "contact_id": str(uuid.uuid4()),
        "direction": "sent",
    }
    assert parse_event("letter.recorded", base | {"logged_by_staff_id": None}).logged_by_staff_id is None
    assert parse_event("letter.recorded", base).logged_by_staff_id is None  # what a child's kiosk sends
    staff = uuid.uuid4()
    by_teacher = parse_event("letter.recorded", base | {"logged_by_staff_id": str(staff)})
    assert by_teacher.logged_by_staff_id == staff
