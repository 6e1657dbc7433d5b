"""What the kiosk says and sounds at each moment, through the real screens (the player's own record
of what it started; tests/ui/test_sound.py listens to the sound itself)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from db.enums import CallKind
from db.models import Child
from kiosk.services import call_queue, calls
from kiosk.services.names import given_name
from kiosk.services.room_settings import save_setting
from kiosk.ui.audio.loudness import QUIET_TONE_SHARE
from kiosk.ui.audio.speech import Speaker
from tests.conftest import Room


def given_name_of(room: Room, n: int) -> str:
    with room.uow.read() as session:
        child = session.get(Child, room.child(n))
        assert child is not None
        return given_name(child.name)


def heard(kiosk: Any) -> list[str]:
    return [played.what for played in kiosk.app.sounds.player.history]


def wait_to_hear(kiosk: Any, what: str) -> None:
    kiosk.wait_until(lambda: what in heard(kiosk), f"{what!r} to be played ({heard(kiosk)})", timeout=20)


def test_a_child_tap_chimes_and_says_signed_in(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(0))
    wait_to_hear(kiosk, "signed_in")
    assert heard(kiosk)[:2] == ["accepted", "signed_in"]


def test_an_unknown_card_sounds_not_now_and_sends_the_child_to_a_teacher(kiosk: Any, room: Room) -> None:
    kiosk.card("0A1B2C3D")
    wait_to_hear(kiosk, "ask_teacher")
    assert heard(kiosk) == ["refused", "ask_teacher"]


def test_a_barcode_not_in_the_catalogue_is_refused_aloud(kiosk: Any, room: Room) -> None:
    kiosk.card(room.card_of(1))
    kiosk.press("借书")
    before = len(heard(kiosk))
    kiosk.scan("TS999999")
    wait_to_hear(kiosk, "ask_teacher")
    assert heard(kiosk)[before:] == ["refused", "ask_teacher"]  # 不在目录里，请找管理员老师


def test_the_idle_screen_calls_the_next_child_aloud_by_number_and_given_name(
    start_kiosk: Callable[..., Any], room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_call = calls.start_family_call(room.uow, room.child(0), room.callees(0)[0].id, CallKind.PHONE)
    call_queue.ask_for_phone(room.uow, room.child(1))  # the phone is busy: child 1 takes place 1
    calls.end_family_call(room.uow, open_call.call_id)
    said: list[str] = []
    speak = Speaker.speak

    def listened(self: Speaker, text: str, *rest: Any) -> None:
        said.append(text)
        speak(self, text, *rest)

    monkeypatch.setattr(Speaker, "speak", listened)
    kiosk = start_kiosk()  # its first look at the queue finds child 1 called
    wait_to_hear(kiosk, "speech")  # espeak-ng made the sentence on its thread, the player played it
    assert said == [f"请 1 号 {given_name_of(room, 1)} 来打电话"]
    kiosk.app.refresh_idle()
    kiosk.settle()
    assert len(said) == 1  # called once, not at every refresh


def test_in_quiet_hours_there_is_no_voice_and_the_chime_is_soft(
    start_kiosk: Callable[..., Any], room: Room
) -> None:
    with room.uow:
        save_setting(room.uow.session, "quiet_hours", {"start": "15:00", "end": "16:00"})  # it is 15:30
        room.uow.commit()
    kiosk = start_kiosk()
    kiosk.card(room.card_of(0))
    kiosk.wait_until(lambda: bool(heard(kiosk)), "the chime")
    deadline = time.monotonic() + 1.5  # long enough for 签到成功 to have followed the chime
    kiosk.wait_until(lambda: time.monotonic() > deadline, "a moment")
    [chime] = kiosk.app.sounds.player.history
    assert chime.what == "accepted" and chime.volume == 0.7 * QUIET_TONE_SHARE
