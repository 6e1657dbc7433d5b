"""The three small services the touchscreen needed: the 签退 button, the roster by class, one setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.enums import ContactCadence, VisitEnd
from db.models import Visit
from kiosk.services import roster, signin
from kiosk.services.errors import InvalidSetting
from kiosk.services.room_settings_changes import change_setting, current_settings
from kiosk.services.signout import sign_out
from tests.conftest import Room


def test_sign_out_button_closes_todays_visit_even_right_after_signing_in(room: Room) -> None:
    signed_in = room.tap()
    assert isinstance(signed_in, signin.SignedIn)
    room.clock.advance(seconds=3)  # inside the repeat-tap window: a second tap would not sign out
    result = sign_out(room.uow, room.child())
    assert result is not None and result.visit_id == signed_in.visit_id
    with room.uow.read() as session:
        assert session.get(Visit, signed_in.visit_id).end_reason is VisitEnd.SIGNED_OUT
    assert [e.payload["reason"] for e in room.events("visit.signed_out")] == ["signed_out"]


def test_sign_out_when_not_signed_in_changes_nothing(room: Room) -> None:
    before = room.state()
    assert sign_out(room.uow, room.child()) is None
    assert room.state() == before


def test_sign_out_leaves_yesterdays_forgotten_visit_to_the_tap(room: Room) -> None:
    room.tap()
    room.clock.advance(days=1)
    assert sign_out(room.uow, room.child()) is None


def test_classes_in_school_order_and_children_by_class(room: Room) -> None:
    names = roster.class_names(room.uow)
    assert names[0].startswith("一年级") and names[-1].startswith("六年级")
    grades = list(dict.fromkeys(name[0] for name in names))
    assert grades == ["一", "二", "三", "四", "五", "六"]  # never 一, 三, 二, 五, 六, 四 (character codes)
    children = roster.children_in_class(room.uow, names[0])
    assert children and all(c.class_name == names[0] for c in children)


def test_change_setting_commits_or_refuses_whole(room: Room) -> None:
    assert change_setting(room.uow, "contact_cadence", "weekly").contact_cadence is ContactCadence.WEEKLY
    assert current_settings(room.uow).contact_cadence is ContactCadence.WEEKLY
    before = room.state()
    with pytest.raises(InvalidSetting):
        change_setting(room.uow, "call_time_limit_minutes", 0)
    assert room.state() == before
    assert current_settings(room.uow).call_time_limit == timedelta(minutes=10)
