"""One phone, many children, through the real screens: a child is on the phone; three more tap 亲情电话
and are each given a place; the app restarts; the queue is intact; the call runs out and the idle
screen calls the next child by number and given name only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db.enums import QueueExit
from db.models import Child, QueueEntry
from kiosk.services import call_queue, reports
from kiosk.services.names import given_name
from tests.conftest import Room


def name_of(room: Room, n: int) -> str:
    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return child.name


def call_home(kiosk: Any) -> None:
    """The child on screen calls the first person offered, by phone, with no reason."""
    kiosk.press("亲情电话")
    kiosk.press(kiosk.button("尾号"))
    kiosk.press("亲情电话")
    kiosk.press("不选")


def test_three_children_queue_for_the_busy_phone_and_keep_their_places_across_a_restart(
    start_kiosk: Callable[..., Any], room: Room
) -> None:
    kiosk = start_kiosk()
    kiosk.card(room.card_of(0))
    call_home(kiosk)
    assert kiosk.sees("现在请拨打")  # child 0 is on the room's one phone

    for n, place in ((1, "你是下一位"), (2, "前面还有 1 位同学"), (3, "前面还有 2 位同学")):
        kiosk.card(room.card_of(n))
        kiosk.press("亲情电话")
        assert kiosk.screen == "call" and kiosk.sees("电话正在使用")
        assert kiosk.sees(f"你是 {n} 号") and kiosk.sees(place) and kiosk.sees("大约要等")
        if n == 3:
            kiosk.screenshot("40-queue-place")
        kiosk.press("好的")
        assert kiosk.screen == "child" and kiosk.sees(f"{n} 号 · 第 {n} 位")  # on the child's own tile
        if n == 3:
            kiosk.screenshot("40b-child-menu-queued")
        kiosk.press("完成")
    assert kiosk.screen == "idle" and kiosk.sees("还有 3 位同学在排队打电话")
    assert not any(name_of(room, n) in text for n in range(4) for text in kiosk.texts())
    kiosk.screenshot("41-idle-queue-waiting")

    kiosk.stop()  # the app restarts mid-queue
    kiosk = start_kiosk()
    order = [line.child_name for line in call_queue.waiting_list(room.uow)]
    assert order == [name_of(room, n) for n in (1, 2, 3)]
    assert kiosk.sees("还有 3 位同学在排队打电话")
    kiosk.card(room.card_of(2))
    assert kiosk.sees("2 号 · 第 2 位")
    kiosk.press("完成")

    # Nobody pressed 结束通话 before the restart: the call runs out at the school's limit, and the idle
    # screen's next look ends it and calls the first child waiting — number and given name only.
    room.clock.advance(minutes=10)
    kiosk.app.refresh_idle()
    kiosk.settle()
    called = given_name(name_of(room, 1))
    assert kiosk.sees(f"请 1 号 {called} 来打亲情电话") and kiosk.sees("还有 2 位同学")
    assert not kiosk.sees(name_of(room, 1))  # the surname stays off the public screen
    kiosk.screenshot("42-idle-calls-the-next-child")

    kiosk.card(room.card_of(1))
    assert kiosk.sees("轮到你了")
    call_home(kiosk)
    assert kiosk.sees("现在请拨打")
    with room.uow.read() as session:
        first = session.query(QueueEntry).filter(QueueEntry.child_id == room.child(1)).one()
        assert first.exit is QueueExit.CALLING
    assert [line.child_name for line in call_queue.waiting_list(room.uow)] == [
        name_of(room, n) for n in (2, 3)
    ]
    assert len([c for c in reports.calls_on(room.uow) if c.ended_at is None]) == 1


def test_the_countdown_says_goodbye_gently_in_the_last_minute(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(0))
    call_home(kiosk)
    assert kiosk.sees("还可以聊 10:00")
    room.clock.advance(minutes=9, seconds=15)
    kiosk.wait_until(lambda: kiosk.sees("和家人说再见吧"), "the countdown's last minute")
    assert kiosk.sees("还有 0:45")
    kiosk.screenshot("43-call-last-minute")
