"""Words a child may see, on a screen anyone near can read (不歧视, 注意保护学生的自尊心):

- the "haven't called home" reminder is a mark on her own 亲情电话 tile, its words for after she taps it,
  never a sentence on the screen she signs in on;
- a lost or damaged thing she brings back is not "returned", and its price is not shown to her: she is
  asked to see the teacher, and the amount goes to the teacher's 损坏赔偿 list;
- a second tap of her card a while later asks whether she is leaving instead of signing her out.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from db.enums import ItemKind, Relation, ReturnCondition, VisitEnd
from db.models import Visit
from kiosk.services import child_menu, damages, loans, signin, signout
from kiosk.services.loans import ChildReturn
from kiosk.services.room_settings import save_setting
from tests.conftest import Room


def set_rule(room: Room, key: str, value: object) -> None:
    with room.uow:
        save_setting(room.uow.session, key, value)
        room.uow.commit()


# -- the call reminder ------------------------------------------------------------------------------


def test_the_reminder_is_a_mark_on_her_call_tile_with_her_familys_words(room: Room) -> None:
    room.tap(0)  # the demo child has never called home
    menu = child_menu.menu_for(room.uow, room.child(0))
    allowed = {c.relation for c in room.callees(0) if c.allowed_to_call}
    assert menu.remind_to_call and set(menu.remind_to_call) == allowed
    assert list(menu.remind_to_call) == [r for r in Relation if r in allowed]  # parents first


def test_no_mark_when_the_school_turned_reminders_off(room: Room) -> None:
    set_rule(room, "remind_contact_due", False)
    room.tap(0)
    assert child_menu.menu_for(room.uow, room.child(0)).remind_to_call == ()


def test_no_mark_once_she_has_called_home(room: Room) -> None:
    from db.enums import CallKind
    from kiosk.services import calls

    room.tap(0)
    call = calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    calls.end_family_call(room.uow, call.call_id)
    assert child_menu.menu_for(room.uow, room.child(0)).remind_to_call == ()


# -- a lost or damaged thing --------------------------------------------------------------------------


def borrowed(room: Room, kind: ItemKind = ItemKind.SPORTS) -> str:
    room.tap(0)
    items = loans.lendable_items(room.uow, (kind,))
    receipt = loans.borrow_item(room.uow, room.child(0), items[0].item_id)
    return receipt.barcode


@pytest.mark.parametrize("condition", [ReturnCondition.LOST, ReturnCondition.DAMAGED])
def test_what_the_child_is_told_of_a_lost_or_damaged_thing_holds_no_money(
    room: Room, condition: ReturnCondition
) -> None:
    barcode = borrowed(room)
    told = loans.return_by_child(room.uow, barcode, condition, room.child(0))
    assert told.see_teacher and not told.returned
    # Not a field to leave out on screen: the child's answer has no amount to show at all.
    assert not any("fen" in f.name or "yuan" in f.name or "amount" in f.name for f in fields(ChildReturn))
    [line] = damages.damage_list(room.uow)
    assert line.barcode == barcode and line.condition is condition
    assert line.amount_fen is not None and line.amount_fen > 0  # the teacher's list has the amount


def test_a_thing_back_in_good_order_is_returned_with_thanks(room: Room) -> None:
    barcode = borrowed(room, ItemKind.BOOK)
    room.clock.advance(days=16)
    told = loans.return_by_child(room.uow, barcode, ReturnCondition.OK, room.child(0))
    assert told.returned and not told.see_teacher and told.days_overdue == 2
    assert damages.damage_list(room.uow) == []


# -- the second tap ------------------------------------------------------------------------------------


def visit_of(room: Room, n: int) -> Visit:
    with room.uow.read() as session:
        return session.query(Visit).filter(Visit.child_id == room.child(n)).one()


def test_a_second_tap_a_minute_later_asks_and_signs_out_only_on_yes(room: Room) -> None:
    room.tap(0)
    room.clock.advance(minutes=1)
    before = room.state()
    asked = room.tap(0)
    assert isinstance(asked, signin.AskSignOut) and asked.child.id == room.child(0)
    assert room.state() == before  # asking writes nothing
    assert visit_of(room, 0).end_reason is None
    out = signout.sign_out(room.uow, room.child(0))
    assert out is not None and out.minutes == 1
    assert visit_of(room, 0).end_reason is VisitEnd.SIGNED_OUT


def test_a_tap_within_seconds_is_still_a_slip_and_asks_nothing(room: Room) -> None:
    room.tap(0)
    room.clock.advance(seconds=3)
    assert isinstance(room.tap(0), signin.StillSignedIn)


def test_a_school_that_turned_tap_to_sign_out_off_is_never_asked(room: Room) -> None:
    set_rule(room, "second_tap_signs_out", False)
    room.tap(0)
    room.clock.advance(minutes=30)
    assert isinstance(room.tap(0), signin.StillSignedIn)
