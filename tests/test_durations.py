"""How long a call lasted, in minutes and seconds in both languages: a 30-second call is not "0 minutes"."""

from __future__ import annotations

import pytest

from kiosk.platform.words import duration_text


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (30, "0 分 30 秒", "0 min 30 s"),
        (200, "3 分 20 秒", "3 min 20 s"),
        (600, "10 分 0 秒", "10 min 0 s"),
        (-4, "0 分 0 秒", "0 min 0 s"),
    ],
)
def test_a_calls_length_in_minutes_and_seconds(seconds: int, zh: str, en: str) -> None:
    assert duration_text(seconds, "zh_CN") == zh
    assert duration_text(seconds, "en") == en
