from __future__ import annotations

from datetime import timedelta

import pytest

from db.enums import CallKind, ContactCadence
from kiosk.services import calls, reports
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def call_home(room: Room, n: int) -> None:
    callee = calls.callees_for(room.uow, room.child(n))[0].contact_id
    opened = calls.start_family_call(room.uow, room.child(n), callee, CallKind.PHONE)
    calls.end_family_call(room.uow, opened.call_id)


def set_cadence(room: Room, cadence: ContactCadence) -> None:
    with room.uow:
        save_setting(room.uow.session, "contact_cadence", cadence.value)
        room.uow.commit()


def due_ids(room: Room) -> set:
    return {d.child_id for d in reports.contact_due_list(room.uow)}


def test_everyone_is_due_before_any_call(room: Room) -> None:
    assert len(due_ids(room)) == 96


@pytest.mark.parametrize(
    ("cadence", "days_later", "due"),
    [
        (ContactCadence.WEEKLY, 6, False),
        (ContactCadence.WEEKLY, 7, True),
        (ContactCadence.BIWEEKLY, 13, False),
        (ContactCadence.BIWEEKLY, 14, True),
        (ContactCadence.MONTHLY, 29, False),
        (ContactCadence.MONTHLY, 30, True),
    ],
)
def test_cadence_setting_decides_who_is_due(
    room: Room, cadence: ContactCadence, days_later: int, due: bool
) -> None:
    set_cadence(room, cadence)
    call_home(room, 0)
    room.clock.advance(days=days_later)
    assert (room.child(0) in due_ids(room)) is due
    assert room.tap(0).contact_due is due


def test_list_puts_never_called_first_then_longest_waiting(room: Room) -> None:
    set_cadence(room, ContactCadence.WEEKLY)
    for n in range(96):
        call_home(room, n)
        room.clock.advance(minutes=1)
    room.clock.advance(days=8)
    call_home(room, 5)  # fresh again
    listing = reports.contact_due_list(room.uow)
    assert room.child(5) not in {d.child_id for d in listing}
    assert listing[0].child_id == room.child(0)  # called first, so waiting longest
    assert all(d.days_since is not None and d.days_since >= 7 for d in listing)


def test_reminder_can_be_turned_off(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "remind_contact_due", False)
        room.uow.commit()
    assert room.tap().contact_due is False


def test_days_since_counts_whole_days(room: Room) -> None:
    set_cadence(room, ContactCadence.WEEKLY)
    call_home(room, 0)
    room.clock.advance(timedelta(days=9, hours=3))
    [entry] = [d for d in reports.contact_due_list(room.uow) if d.child_id == room.child(0)]
    assert entry.days_since == 9


def test_a_letter_home_counts_as_contact(room: Room) -> None:
    from db.enums import LetterDirection
    from kiosk.services import letters

    set_cadence(room, ContactCadence.WEEKLY)
    contact = calls.callees_for(room.uow, room.child(0))[0].contact_id
    letters.record_letter(room.uow, room.child(0), contact, LetterDirection.SENT, staff_id=room.staff())
    assert room.child(0) not in due_ids(room)
    assert room.tap(0).contact_due is False
    [event] = room.events("letter.recorded")
    assert event.payload["direction"] == "sent"
    room.clock.advance(days=7)
    assert room.child(0) in due_ids(room)


def test_letter_to_someone_elses_parent_is_refused(room: Room) -> None:
    from db.enums import LetterDirection
    from kiosk.services import letters
    from kiosk.services.errors import CalleeNotAllowed

    other = calls.callees_for(room.uow, room.child(1))[0].contact_id
    before = room.state()
    with pytest.raises(CalleeNotAllowed):
        letters.record_letter(room.uow, room.child(0), other, LetterDirection.RECEIVED, staff_id=room.staff())
    assert room.state() == before


def _contact(room: Room, channel: str, when_days_ago: int) -> None:
    """One family contact of child 0 by `channel`, `when_days_ago` days before now."""
    from db.enums import LetterDirection
    from kiosk.services import letters

    callee = calls.callees_for(room.uow, room.child(0))[0].contact_id
    if channel == "incoming":  # logged now, began days ago: the start is what counts
        calls.log_incoming_call(
            room.uow, room.child(0), callee, 5, ended_at=room.clock.now() - timedelta(days=when_days_ago)
        )
        return
    room.clock.advance(days=-when_days_ago)
    if channel == "letter":
        letters.record_letter(
            room.uow, room.child(0), callee, LetterDirection.RECEIVED, staff_id=room.staff()
        )
    else:
        kind = CallKind.VIDEO if channel == "video" else CallKind.PHONE
        opened = calls.start_family_call(room.uow, room.child(0), callee, kind)
        calls.end_family_call(room.uow, opened.call_id)
    room.clock.advance(days=when_days_ago)


@pytest.mark.parametrize("channel", ["phone", "video", "incoming", "letter"])
@pytest.mark.parametrize(("days_ago", "due"), [(6, False), (8, True)])
def test_every_way_of_keeping_in_touch_counts_under_the_cadence(
    room: Room, channel: str, days_ago: int, due: bool
) -> None:
    set_cadence(room, ContactCadence.WEEKLY)
    _contact(room, channel, days_ago)
    assert (room.child(0) in due_ids(room)) is due
    assert room.tap(0).contact_due is due
