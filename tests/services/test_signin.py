from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from db.enums import VisitEnd
from db.models import Child, Visit
from kiosk.services import cards, signin, signout
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def visits_of(room: Room, n: int = 0) -> list[Visit]:
    with room.uow.read() as session:
        return list(
            session.scalars(select(Visit).where(Visit.child_id == room.child(n)).order_by(Visit.signed_in_at))
        )


def test_first_tap_signs_the_child_in_and_writes_one_event(room: Room) -> None:
    result = room.tap()
    assert isinstance(result, signin.SignedIn)
    assert result.child.id == room.child()
    [visit] = visits_of(room)
    assert visit.end_reason is None
    [event] = room.events("visit.signed_in")
    assert event.payload["visit_id"] == str(visit.id)
    assert event.payload["card_uid"] == room.card_of()


def test_tap_again_later_asks_and_yes_signs_out(room: Room) -> None:
    room.tap()
    room.clock.advance(minutes=45)
    assert isinstance(room.tap(), signin.AskSignOut)
    result = signout.sign_out(room.uow, room.child())
    assert isinstance(result, signin.SignedOut)
    assert result.minutes == 45
    [visit] = visits_of(room)
    assert visit.end_reason is VisitEnd.SIGNED_OUT
    assert [e.type for e in room.events()] == ["visit.signed_in", "visit.signed_out"]


def test_quick_second_tap_is_not_a_sign_out(room: Room) -> None:
    room.tap()
    room.clock.advance(seconds=3)
    result = room.tap()
    assert isinstance(result, signin.StillSignedIn)
    assert len(room.events()) == 1


def test_repeat_window_uses_monotonic_time_even_if_wall_clock_jumps(room: Room) -> None:
    room.tap()
    room.clock.set_wall(room.clock.now() + timedelta(hours=3))  # NTP corrected the clock
    room.clock.advance(seconds=2)
    assert isinstance(room.tap(), signin.StillSignedIn)


def test_school_can_turn_tap_to_sign_out_off(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "second_tap_signs_out", False)
        room.uow.commit()
    room.tap()
    room.clock.advance(minutes=30)
    assert isinstance(room.tap(), signin.StillSignedIn)


def test_after_signing_out_a_new_tap_signs_in_again(room: Room) -> None:
    room.tap()
    room.clock.advance(minutes=20)
    assert isinstance(room.tap(), signin.AskSignOut)
    signout.sign_out(room.uow, room.child())  # 是
    room.clock.advance(minutes=20)
    assert isinstance(room.tap(), signin.SignedIn)
    assert len(visits_of(room)) == 2


def test_visit_left_open_yesterday_is_closed_as_not_signed_out(room: Room) -> None:
    room.tap()
    room.clock.advance(days=1)
    result = room.tap()
    assert isinstance(result, signin.SignedIn)
    first, second = visits_of(room)
    assert first.end_reason is VisitEnd.NOT_SIGNED_OUT and first.signed_out_at is None
    assert second.end_reason is None
    assert room.events("visit.signed_out")[0].payload["reason"] == "not_signed_out"


def test_unknown_card_is_a_result_and_changes_nothing(room: Room) -> None:
    before = room.state()
    result = signin.tap_card(room.uow, "DEADBEEF")
    assert result == signin.UnknownCardTapped(uid="DEADBEEF")
    assert room.state() == before


def test_garbage_from_a_reader_is_an_unknown_card(room: Room) -> None:
    before = room.state()
    assert isinstance(signin.tap_card(room.uow, "  ??!  "), signin.UnknownCardTapped)
    assert room.state() == before


def test_card_uid_spelling_does_not_matter(room: Room) -> None:
    uid = room.card_of()
    spelled = ":".join(uid[i : i + 2] for i in range(0, len(uid), 2)).lower()
    assert isinstance(signin.tap_card(room.uow, spelled), signin.SignedIn)


def test_lost_card_cannot_sign_in_and_changes_nothing(room: Room) -> None:
    cards.report_card_lost(room.uow, room.staff(), room.card_of())
    before = room.state()
    result = room.tap()
    assert result == signin.InactiveCardTapped(uid=room.card_of(), status="lost")
    assert room.state() == before


def test_staff_card_asks_for_the_pin_and_signs_no_one_in(room: Room) -> None:
    before = room.state()
    result = signin.tap_card(room.uow, room.staff_card())
    assert isinstance(result, signin.StaffCardTapped)
    assert result.staff_id == room.staff()
    assert room.state() == before


def test_child_taken_off_the_roster_cannot_sign_in(room: Room) -> None:
    with room.uow:
        room.uow.session.get(Child, room.child()).active = False
        room.uow.commit()
    assert room.tap() == signin.InactiveCardTapped(uid=room.card_of(), status="child_inactive")


def test_birthday_greeting_only_on_the_day(room: Room) -> None:
    with room.uow:
        child = room.uow.session.get(Child, room.child())
        child.birthday = date(2016, 11, 23)
        other = room.uow.session.get(Child, room.child(1))
        other.birthday = date(2016, 11, 24)
        room.uow.commit()
    assert room.tap(0).birthday_today is True
    assert room.tap(1).birthday_today is False


def test_birthday_uses_the_school_day_not_utc(room: Room) -> None:
    # 23:30 UTC on the 22nd is already the 23rd in Shanghai.
    room.clock.set_wall(datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    with room.uow:
        room.uow.session.get(Child, room.child()).birthday = date(2015, 11, 23)
        room.uow.commit()
    assert room.tap().birthday_today is True


def test_contact_reminder_is_for_the_child_who_tapped(room: Room) -> None:
    result = room.tap()
    assert result.contact_due is True  # no family call recorded yet
