"""The child's afternoon through the real window, every tap and card a real X event (xdotool): a call
kept open long past the idle timeout, the caller's card bringing her call back, video instead of
waiting, a lost ball, a second tap, a letter home, the call reminder said only to her."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from kivy.uix.button import Button
from sqlalchemy import select

from db.demo import DEMO_STAFF_PIN
from db.enums import CallKind, LetterDirection, QueueExit, VisitEnd
from db.models import Child, FamilyCall, FamilyLetter, QueueEntry, Visit
from hardware.debounce import DEFAULT_GAP_SECONDS
from kiosk.services import damages, open_calls, reports
from tests.conftest import Room
from tests.ui.driver import step
from tests.ui.xtouch import XRoom


def name_of(room: Room, n: int) -> str:
    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return child.name


def calls_of(room: Room, n: int) -> list[FamilyCall]:
    with room.uow.read() as session:
        return list(session.scalars(select(FamilyCall).where(FamilyCall.child_id == room.child(n))))


def call_home(hands: XRoom, kiosk: Any, kind: str = "亲情电话") -> None:
    """亲情电话 → the first person offered → phone or video → no reason."""
    hands.touch("亲情电话")
    hands.touch(kiosk.button("尾号"))
    hands.touch(kind)
    hands.touch("不选")


FAMILY_CALL_EN = ("Family call", "Family call ♥")
RELATIONS = ("爸爸", "妈妈", "临时监护人", "爷爷奶奶", "亲戚")


def first_person(kiosk: Any) -> Any:
    """The first person's tile (爸爸 / 妈妈 / …) on a who-was-it step."""
    people = [b for b in kiosk.widgets() if isinstance(b, Button) and plain_starts(b.text)]
    assert people, kiosk.texts()
    return people[0]


def plain_starts(text: str) -> bool:
    from tests.ui.driver import plain

    return plain(text).startswith(RELATIONS)


def tap_again(hands: XRoom, card: str) -> None:
    """The same card once more, lifted from the reader first (a card held on it is one tap)."""
    let_time_pass(DEFAULT_GAP_SECONDS + 0.2)
    hands.card(card)


def first_person_en(kiosk: Any) -> Any:
    words = ("Dad", "Mum", "Temporary guardian", "Grandparents", "Relative")
    from tests.ui.driver import plain

    people = [b for b in kiosk.widgets() if isinstance(b, Button) and plain(b.text).startswith(words)]
    assert people, kiosk.texts()
    return people[0]


def family_call_en(kiosk: Any) -> Any:
    """The Family call tile, with or without its ♥ (not "Family called me")."""
    from tests.ui.driver import plain

    tiles = [b for b in kiosk.widgets() if isinstance(b, Button) and plain(b.text) in FAMILY_CALL_EN]
    assert len(tiles) == 1, kiosk.texts()
    return tiles[0]


def let_time_pass(seconds: float) -> None:
    """Real seconds with the kiosk's loop running and nobody touching it."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        step()
        time.sleep(0.01)


@pytest.fixture
def hands(kiosk: Any) -> XRoom:
    return XRoom(kiosk)


def test_a_call_kept_open_three_times_every_timeout_stays_and_records_its_length(
    start_kiosk: Callable[..., Any], room: Room
) -> None:
    """Every timer the kiosk has, set small: the idle timeout, the administrator's, a message's, the
    number's. Nobody touches the call for three times the longest; then a finger on the screen and a
    scan nobody can read (each answered, each arming what a touch or a message arms), and three times
    the longest again. The call's screen is still there with 结束通话, and ends with the right length."""
    timeouts = {
        "idle_timeout_seconds": 3,
        "admin_timeout_seconds": 3,
        "message_seconds": 1,
        "number_visible_seconds": 2,
    }
    longest = max(timeouts.values())
    kiosk = start_kiosk(**timeouts)
    hands = XRoom(kiosk)
    hands.card(room.card_of(0))
    call_home(hands, kiosk)
    assert kiosk.sees("现在请拨打")
    room.clock.advance(minutes=3, seconds=20)  # the call lasts 3 min 20 s on the kiosk's clock
    let_time_pass(3 * longest + 1)  # three of the longest timeouts and more, nobody touching
    assert kiosk.screen == "call" and kiosk.sees("结束通话") and kiosk.sees("还可以聊")
    assert kiosk.sees("轻触屏幕显示号码")  # the number's own timer did run: masked, the screen stays
    kiosk.screenshot("70-call-open-past-idle-timeout")

    call_screen = kiosk.app.sm.get_screen("call")
    hands.touch(call_screen.number)  # a touch shows the number again and pokes the idle timer
    hands.scan("9" * 40)  # not a code: "try again" on her band, the message's timer armed
    assert kiosk.sees("没读出来，请再扫一次")
    let_time_pass(3 * longest + 1)
    assert kiosk.screen == "call" and kiosk.sees("结束通话") and kiosk.sees("还可以聊")
    kiosk.screenshot("70b-call-open-past-every-timeout")

    hands.touch("结束通话")
    assert kiosk.sees("通话结束，共 3 分 20 秒")
    kiosk.screenshot("71-call-ended-minutes-and-seconds")
    [call] = calls_of(room, 0)
    assert call.ended_at is not None and (call.ended_at - call.started_at).total_seconds() == 200


def test_her_card_brings_back_her_open_call_after_another_child_tapped(
    hands: XRoom, kiosk: Any, room: Room
) -> None:
    hands.card(room.card_of(0))
    call_home(hands, kiosk)
    hands.card(room.card_of(1))  # someone else needs the kiosk meanwhile
    assert kiosk.screen == "child" and not kiosk.sees("现在请拨打")
    hands.touch("完成")
    tap_again(hands, room.card_of(0))
    assert kiosk.screen == "call" and kiosk.sees("现在请拨打") and kiosk.sees("结束通话")
    assert not kiosk.sees("你是 ")  # no queue place for the phone she holds
    assert call_queue_places(room) == []
    kiosk.screenshot("72-call-back-by-her-card")
    hands.touch("结束通话")
    assert open_calls.open_calls(room.uow) == []


def call_queue_places(room: Room) -> list[Any]:
    with room.uow.read() as session:
        return list(session.scalars(select(QueueEntry).where(QueueEntry.left_at.is_(None))))


def test_busy_phone_then_video_instead_and_never_called_later(hands: XRoom, kiosk: Any, room: Room) -> None:
    hands.card(room.card_of(0))
    call_home(hands, kiosk)  # child 0 is on the room's one phone
    hands.card(room.card_of(1))
    hands.touch("亲情电话")
    assert kiosk.sees("电话正在使用") and kiosk.sees("你是 1 号")
    hands.touch("改打视频")
    hands.touch(kiosk.button("尾号"))
    hands.touch("不选")
    assert kiosk.sees("现在请拨打") and kiosk.sees("视频通话")
    with room.uow.read() as session:
        [entry] = session.scalars(select(QueueEntry).where(QueueEntry.child_id == room.child(1)))
        assert entry.exit is QueueExit.VIDEO_INSTEAD
    hands.touch("结束通话")
    hands.touch("完成")
    hands.touch("完成")

    tap_again(hands, room.card_of(0))  # child 0 ends the phone call: the phone is free
    hands.touch("结束通话")
    hands.touch("完成")
    hands.touch("完成")
    kiosk.app.refresh_idle()
    kiosk.settle()
    assert kiosk.screen == "idle" and not kiosk.sees("来打亲情电话")
    kiosk.screenshot("73-idle-nobody-called-after-video-instead")


def test_a_lost_ball_shows_no_money_to_the_child_and_is_on_the_teachers_list(
    hands: XRoom, kiosk: Any, room: Room
) -> None:
    hands.card(room.card_of(2))
    hands.touch("借器材")
    hands.touch("篮球")
    assert kiosk.sees("借到了篮球")
    hands.touch_exactly("还")
    hands.touch("↩")
    hands.touch("丢失")
    assert kiosk.sees("请找管理员老师")
    assert not kiosk.sees("已归还") and not kiosk.sees("元") and not kiosk.sees("赔偿")
    kiosk.screenshot("74-lost-ball-see-the-teacher")
    [line] = damages.damage_list(room.uow)
    assert line.title.startswith("篮球") and line.amount_fen

    hands.touch("返回")
    hands.touch("完成")
    hands.card(room.staff_card())
    for digit in DEMO_STAFF_PIN:
        hands.touch(kiosk.keypad_key(digit))
    hands.touch("确定")
    hands.touch("损坏赔偿")
    assert (
        kiosk.sees(name_of(room, 2))
        and kiosk.sees("篮球")
        and kiosk.sees(f"应赔 {line.amount_fen / 100:.2f} 元")
    )
    kiosk.screenshot("75-teacher-damage-list-has-the-amount")


def test_a_second_tap_a_minute_later_asks_before_signing_out(hands: XRoom, kiosk: Any, room: Room) -> None:
    hands.card(room.card_of(3))
    hands.touch("完成")
    room.clock.advance(minutes=1)
    tap_again(hands, room.card_of(3))
    assert kiosk.sees("要签退吗") and kiosk.sees("是，签退") and kiosk.sees("不是")
    assert not kiosk.sees("借书")  # the question only, not the menu under it
    beside_the_words = kiosk.app.sm.get_screen("child").check
    assert beside_the_words.shown.stem == "question"  # a question, not the check mark of a yes
    kiosk.screenshot("76-second-tap-asks")
    hands.touch("不是")
    assert kiosk.sees("借书") and kiosk.sees("你已经签到了")
    assert beside_the_words.shown.stem == "check"
    hands.touch("完成")
    tap_again(hands, room.card_of(3))
    hands.touch("是，签退")
    assert kiosk.sees("签退成功") and not kiosk.sees("借书") and not kiosk.sees("亲情电话")
    kiosk.screenshot("77-signed-out-goodbye")
    with room.uow.read() as session:
        [visit] = session.scalars(select(Visit).where(Visit.child_id == room.child(3)))
        assert visit.end_reason is VisitEnd.SIGNED_OUT


def test_the_call_reminder_is_a_mark_until_she_taps_her_call_tile(
    hands: XRoom, kiosk: Any, room: Room
) -> None:
    hands.card(room.card_of(4))
    assert kiosk.sees("亲情电话 ♥") and not kiosk.sees("好久没打亲情电话")
    hands.touch("亲情电话")
    assert kiosk.sees("好久没打亲情电话了")
    kiosk.screenshot("78-reminder-after-tapping-the-call-tile")


def test_a_call_from_home_while_her_own_call_is_open_is_answered_in_words(
    hands: XRoom, kiosk: Any, room: Room
) -> None:
    hands.card(room.card_of(5))
    call_home(hands, kiosk, "视频通话")
    hands.card(room.card_of(6))
    hands.touch("完成")
    tap_again(hands, room.card_of(5))  # her tap brings her video call back, not her menu …
    assert kiosk.screen == "call" and kiosk.sees("结束通话")
    kiosk.app.open_incoming()  # … so only the app itself could lead her to log a call in now
    kiosk.settle()
    hands.touch(first_person(kiosk))
    hands.touch("5 分钟")
    assert kiosk.sees("视频通话还没有结束") and kiosk.sees("回到我的通话")
    kiosk.screenshot("79-call-in-while-own-call-open")
    hands.touch("回到我的通话")
    assert kiosk.screen == "call" and kiosk.sees("结束通话")
    assert [c.direction.value for c in calls_of(room, 5)] == ["outgoing"]


def test_a_letter_home_on_her_own_screen_counts_as_contact(hands: XRoom, kiosk: Any, room: Room) -> None:
    hands.card(room.card_of(7))
    assert kiosk.sees("♥")
    hands.touch("家书")
    kiosk.screenshot("80-letters-which-way")
    hands.touch("我给家里写了信")
    kiosk.screenshot("81-letters-to-whom")
    hands.touch(first_person(kiosk))
    assert kiosk.sees("记好了：给") and kiosk.sees("写了一封信")
    kiosk.screenshot("82-letter-recorded")
    hands.touch("完成")
    assert not kiosk.sees("♥")  # a letter home is family contact: no reminder any more
    with room.uow.read() as session:
        [letter] = session.scalars(select(FamilyLetter).where(FamilyLetter.child_id == room.child(7)))
        assert letter.direction is LetterDirection.SENT and letter.logged_by_staff_id is None


def admin(hands: XRoom, kiosk: Any, room: Room) -> None:
    hands.card(room.staff_card())
    for digit in DEMO_STAFF_PIN:
        hands.touch(kiosk.keypad_key(digit))
    hands.touch("确定")
    assert kiosk.screen == "admin"


def test_the_teacher_ends_a_call_moves_and_takes_children_out_of_the_queue(
    hands: XRoom, kiosk: Any, room: Room
) -> None:
    from kiosk.services import call_queue, calls, signin

    signin.tap_card(room.uow, room.card_of(0))
    calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    for n in (1, 2, 3):
        signin.tap_card(room.uow, room.card_of(n))
        call_queue.ask_for_phone(room.uow, room.child(n))
    admin(hands, kiosk, room)
    hands.touch("电话排队")
    assert kiosk.sees(name_of(room, 0)) and kiosk.sees("结束通话")
    kiosk.screenshot("83-admin-queue-and-open-calls")
    rows = [w for w in kiosk.widgets() if getattr(w, "text", "") == "↑"]
    hands.touch(rows[-1])  # child 3 moves up past child 2
    order = [line.child_name for line in call_queue.waiting_list(room.uow)]
    assert order == [name_of(room, n) for n in (1, 3, 2)]
    removes = [w for w in kiosk.widgets() if getattr(w, "text", "") == "移出"]
    hands.touch(removes[0])  # the first child in the list (child 1) goes home
    assert [line.child_name for line in call_queue.waiting_list(room.uow)] == [
        name_of(room, n) for n in (3, 2)
    ]
    hands.touch("结束通话")
    assert kiosk.sees("已结束") and open_calls.open_calls(room.uow) == []
    called = [line for line in call_queue.waiting_list(room.uow) if line.called_at is not None]
    assert [line.child_name for line in called] == [name_of(room, 3)]
    hands.touch("叫下一位")  # child 3 does not come: child 2 is called
    called = [line for line in call_queue.waiting_list(room.uow) if line.called_at is not None]
    assert [line.child_name for line in called] == [name_of(room, 2)]
    kiosk.screenshot("84-admin-queue-next-called")
    assert reports.calls_on(room.uow)[0].ended_at is not None
    hands.touch("返回")
    hands.touch("今日通话")
    assert kiosk.sees("时长") and kiosk.sees("0 分 0 秒")  # ended by the teacher the moment it began
    kiosk.screenshot("89-admin-calls-durations")


def test_the_teacher_records_a_letter_from_home(hands: XRoom, kiosk: Any, room: Room) -> None:
    admin(hands, kiosk, room)
    hands.touch("家书登记")
    hands.card(room.card_of(8))  # a tap names the child
    hands.touch("家里来信了")
    hands.touch(first_person(kiosk))
    assert kiosk.sees("来信了")
    kiosk.screenshot("85-admin-letter-recorded")
    with room.uow.read() as session:
        [letter] = session.scalars(select(FamilyLetter).where(FamilyLetter.child_id == room.child(8)))
        assert letter.direction is LetterDirection.RECEIVED and isinstance(
            letter.logged_by_staff_id, uuid.UUID
        )


def test_a_room_that_must_be_opened_first_answers_a_childs_tap(hands: XRoom, kiosk: Any, room: Room) -> None:
    admin(hands, kiosk, room)
    hands.touch("设置")
    assert kiosk.sees("未开门时孩子可以刷卡")
    row = [w for w in kiosk.widgets() if getattr(w, "text", "") == kiosk.app.t("settings.off")]
    hands.touch(row[-1])  # the rule's 关 (the last switch on 常规)
    kiosk.screenshot("86-settings-children-while-closed")
    hands.touch("返回")
    hands.touch("退出管理")
    assert kiosk.sees("未开门") and not kiosk.sees("自助")
    hands.card(room.card_of(9))
    assert kiosk.screen == "idle" and kiosk.sees("现在还没开门")
    kiosk.screenshot("87-idle-room-closed-tap-answered")
    with room.uow.read() as session:
        assert session.scalar(select(Visit.id).where(Visit.child_id == room.child(9))) is None


def test_the_status_page_counts_the_keyboard_reader_that_works(hands: XRoom, kiosk: Any, room: Room) -> None:
    hands.card(room.card_of(0))  # the wedge reader typed a card: it works
    hands.touch("完成")
    admin(hands, kiosk, room)
    hands.touch("状态")
    assert kiosk.sees("键盘读卡器/扫码枪（keyboard）：正常")
    assert any(("KiB" in t or "MiB" in t) and "0.0 MiB" not in t for t in kiosk.texts())
    kiosk.screenshot("88-status-keyboard-reader-working")


def test_the_new_screens_in_english(start_kiosk: Callable[..., Any], room: Room) -> None:
    """The second tap's question, the letters screen and the teacher's queue page, in English."""
    kiosk = start_kiosk(locale="en")
    hands = XRoom(kiosk)
    hands.card(room.card_of(10))
    hands.touch("Letters")
    kiosk.screenshot("90-en-letters")
    hands.touch("Back")
    room.clock.advance(minutes=2)
    tap_again(hands, room.card_of(10))
    assert kiosk.sees("are you leaving?") and kiosk.sees("Yes, sign out")
    kiosk.screenshot("91-en-second-tap-asks")
    hands.touch_exactly("No")
    assert kiosk.sees("Family call ♥")  # no call home lately: the tile's gentle mark, in English too
    hands.touch(family_call_en(kiosk))
    hands.touch(first_person_en(kiosk))
    hands.touch("Family phone")
    hands.touch("Skip")
    hands.card(room.card_of(11))
    hands.touch(family_call_en(kiosk))
    assert kiosk.sees("Video call (no queue)")
    hands.touch("OK")
    hands.touch("Done")
    hands.card(room.staff_card())
    for digit in DEMO_STAFF_PIN:
        hands.touch(kiosk.keypad_key(digit))
    hands.touch("OK")
    hands.touch("Phone queue")
    assert kiosk.sees("On a call now") and kiosk.sees("Call next") and kiosk.sees("Remove")
    kiosk.screenshot("92-en-admin-queue")
