"""The queue's call with a child's given name, spoken by the real espeak-ng on the speaker's own thread."""

from __future__ import annotations

import queue
import wave
from collections.abc import Callable
from pathlib import Path

from kiosk.ui.audio.speech import Speaker, espeak_command, sayable

CALL = "请 3 号 子航 来打电话"


def run_on_this_thread() -> tuple[Callable[[Callable[[], None]], None], queue.Queue[Callable[[], None]]]:
    posted: queue.Queue[Callable[[], None]] = queue.Queue()
    return posted.put, posted


def spoken(speaker: Speaker, posted: queue.Queue[Callable[[], None]], text: str, locale: str) -> Path | None:
    got: list[Path | None] = []
    speaker.speak(text, locale, got.append)
    posted.get(timeout=30)()  # what the UI thread would run
    return got[0]


def seconds(wav: Path) -> float:
    with wave.open(str(wav)) as sound:
        return sound.getnframes() / sound.getframerate()


def test_the_call_with_a_name_is_spoken_in_mandarin_and_in_english() -> None:
    post, posted = run_on_this_thread()
    speaker = Speaker(post)
    try:
        assert speaker.available
        chinese = spoken(speaker, posted, CALL, "zh_CN")
        english = spoken(speaker, posted, "Number 3, Zihang, please come to the phone", "en")
        assert chinese is not None and english is not None
        assert 1.0 < seconds(chinese) < 8.0 and 1.0 < seconds(english) < 8.0
        assert chinese.parent.stat().st_mode & 0o077 == 0  # the folder is the kiosk's alone
    finally:
        speaker.stop()
    assert not chinese.exists()  # nothing with a child's name is left behind


def test_the_name_never_appears_on_the_command_line(tmp_path: Path) -> None:
    command = espeak_command("zh_CN", tmp_path / "x.wav")
    assert "--stdin" in command and not any("子航" in part for part in command)
    assert "cmn-latn-pinyin" in command  # espeak-ng 1.51's "cmn" reads 汉字 as English sounds


def test_characters_espeak_would_spell_as_code_points_are_left_out() -> None:
    assert sayable("请 1 号 王𠈌 来打电话") == "请 1 号 王 来打电话"
    assert sayable("刘䶮") == "刘䶮"  # Extension A is in espeak-ng's dictionary (yǎn)


def test_without_espeak_the_kiosk_goes_on_and_says_nothing() -> None:
    post, posted = run_on_this_thread()
    speaker = Speaker(post, program="no-such-espeak-ng")
    try:
        assert not speaker.available
        assert spoken(speaker, posted, CALL, "zh_CN") is None
    finally:
        speaker.stop()
