"""How loud the kiosk is now: the room's volume, softened in its quiet hours.

Rooms differ: one sits beside a classroom, another is used at the midday rest (午休). The school sets
the volume (0 is silent) and, if it wants, quiet hours. In quiet hours the voice is off and the tones
are soft, but not silent: a child whose tap was refused must still notice something happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

QUIET_TONE_SHARE = 0.25  # of the room's volume


@dataclass(frozen=True, slots=True)
class Loudness:
    tones: float  # 0.0-1.0, for Kivy's Sound.volume
    voice: float  # 0.0 = no voice at all

    @property
    def silent(self) -> bool:
        return self.tones == 0 and self.voice == 0


def in_quiet_hours(now: time, start: time, end: time) -> bool:
    """Whether `now` falls in [start, end); a span over midnight (21:00-07:00) wraps."""
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def loudness(
    volume_percent: int, voice_prompts: bool, quiet: tuple[time, time] | None, now: time
) -> Loudness:
    volume = max(0, min(100, volume_percent)) / 100
    if quiet is not None and in_quiet_hours(now, *quiet):
        return Loudness(tones=volume * QUIET_TONE_SHARE, voice=0.0)
    return Loudness(tones=volume, voice=volume if voice_prompts else 0.0)
