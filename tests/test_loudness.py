"""How loud the kiosk is: the room's volume, softer and without voice in its quiet hours."""

from __future__ import annotations

from datetime import time

from kiosk.ui.audio.loudness import QUIET_TONE_SHARE, in_quiet_hours, loudness

NAP = (time(12, 0), time(14, 0))
NIGHT = (time(21, 0), time(7, 30))


def test_quiet_hours_within_a_day_and_over_midnight() -> None:
    assert in_quiet_hours(time(12, 0), *NAP) and in_quiet_hours(time(13, 59), *NAP)
    assert not in_quiet_hours(time(14, 0), *NAP) and not in_quiet_hours(time(11, 59), *NAP)
    assert in_quiet_hours(time(23, 0), *NIGHT) and in_quiet_hours(time(6, 0), *NIGHT)
    assert not in_quiet_hours(time(16, 30), *NIGHT)
    assert not in_quiet_hours(time(9, 0), time(9, 0), time(9, 0))  # an empty span is no quiet time


def test_volume_and_voice_outside_and_inside_quiet_hours() -> None:
    afternoon = loudness(80, True, NAP, time(16, 0))
    assert afternoon.tones == afternoon.voice == 0.8
    nap = loudness(80, True, NAP, time(12, 30))
    assert nap.voice == 0 and nap.tones == 0.8 * QUIET_TONE_SHARE > 0  # a refusal is still heard
    assert loudness(80, False, None, time(16, 0)).voice == 0
    assert loudness(0, True, None, time(16, 0)).silent
    assert loudness(150, True, None, time(16, 0)).tones == 1.0
