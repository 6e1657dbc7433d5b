"""电视、VCD放映登记: the administrator opens a showing (time, content), children join with a tap, and
the register lists who watched; a second join is refused."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from db.enums import ShowingMedium
from kiosk.services import room as room_service
from kiosk.services import showings
from kiosk.services.errors import (
    AlreadyWatching,
    InvalidShowing,
    NoShowingOpen,
    ShowingAlreadyOpen,
    UnknownChild,
    UnknownStaff,
)
from tests.conftest import Room


def open_news(room: Room) -> uuid.UUID:
    return showings.open_showing(
        room.uow, room.staff(), ShowingMedium.TV, "新闻联播", room.clock.now() + timedelta(minutes=5)
    )


def test_the_register_lists_the_showing_and_who_watched(room: Room) -> None:
    opened_at = room.clock.now()
    showing = open_news(room)
    for n in (2, 0, 1):
        room.clock.advance(seconds=20)
        showings.join_showing(room.uow, room.child(n), showing)
    assert showings.showing_now(room.uow).viewers == 3
    room.clock.advance(minutes=30)
    assert showings.close_showing(room.uow, room.staff()) == 3
    assert showings.showing_now(room.uow) is None
    [record] = showings.todays_register(room.uow)
    assert (record.medium, record.content) == (ShowingMedium.TV, "新闻联播")
    assert record.starts_at == opened_at + timedelta(minutes=5)  # the time the teacher gave
    assert [v.child_id for v in record.viewers] == [room.child(2), room.child(0), room.child(1)]
    assert record.closed_at == room.clock.now()
    kinds = [e.type for e in room.events()]
    assert kinds == ["showing.opened"] + ["showing.joined"] * 3 + ["showing.closed"]
    assert room.events("showing.opened")[0].payload["content"] == "新闻联播"


def test_a_second_join_to_the_same_showing_is_refused(room: Room) -> None:
    showing = open_news(room)
    showings.join_showing(room.uow, room.child(0), showing)
    before = room.state()
    with pytest.raises(AlreadyWatching):
        showings.join_showing(room.uow, room.child(0), showing)
    assert room.state() == before


def test_joining_a_closed_or_unknown_showing_is_refused(room: Room) -> None:
    showing = open_news(room)
    showings.close_showing(room.uow, room.staff())
    before = room.state()
    with pytest.raises(NoShowingOpen):
        showings.join_showing(room.uow, room.child(0), showing)
    with pytest.raises(NoShowingOpen):
        showings.join_showing(room.uow, room.child(0), uuid.uuid4())
    with pytest.raises(NoShowingOpen):
        showings.close_showing(room.uow, room.staff())
    with pytest.raises(UnknownChild):
        showings.join_showing(room.uow, uuid.uuid4(), showing)
    assert room.state() == before


def test_one_television_one_showing_at_a_time(room: Room) -> None:
    open_news(room)
    before = room.state()
    with pytest.raises(ShowingAlreadyOpen):
        showings.open_showing(room.uow, room.staff(), ShowingMedium.VCD, "动画片")
    assert room.state() == before


@pytest.mark.parametrize("content", ["", "   ", "片" * 61])
def test_a_showing_needs_a_title_that_fits(room: Room, content: str) -> None:
    before = room.state()
    with pytest.raises(InvalidShowing):
        showings.open_showing(room.uow, room.staff(), ShowingMedium.TV, content)
    with pytest.raises(UnknownStaff):
        showings.open_showing(room.uow, uuid.uuid4(), ShowingMedium.TV, "动画片")
    assert room.state() == before


def test_closing_the_room_closes_the_showing(room: Room) -> None:
    room_service.open_room(room.uow, room.staff())
    open_news(room)
    room_service.close_room(room.uow, room.staff())
    assert showings.showing_now(room.uow) is None
    assert [e.type for e in room.events()][-2:] == ["showing.closed", "room.closed"]
