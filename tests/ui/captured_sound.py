"""What SDL's disk audio driver wrote: raw PCM, cut into sounds, each with its loudest pitch.

With SDL_AUDIODRIVER=disk and SDL_DISKAUDIOFILE=<file>, SDL writes everything the mixer plays to the
file instead of a sound card, in real time (silence included), as signed 16-bit little-endian stereo
at 44.1 kHz (what Kivy's audio_sdl2 opens). A sound is a stretch of samples above the noise floor;
two sounds are apart when at least GAP seconds of silence lie between them. The pitch is found with
the Goertzel filter over the first part of a sound, which tells a chime (above 1 kHz) from the
refusal's low tones (under 500 Hz) without numpy.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
CHANNELS = 2
FRAME_BYTES = 2 * CHANNELS
THRESHOLD = 300  # of 32767: well above dither, far below any tone or word at a tenth of full volume
GAP = 0.12


@dataclass(frozen=True)
class Heard:
    start: float  # seconds from the start of what was read
    seconds: float
    peak: int
    samples: array  # left channel

    def pitch(self, window: float = 0.15, low: int = 150, high: int = 2500, step: int = 10) -> int:
        """The frequency (Hz) with the most energy in the first `window` seconds of the sound."""
        part = self.samples[: int(window * RATE)]
        return max(range(low, high + 1, step), key=lambda f: goertzel_power(part, f))


def goertzel_power(samples: array, frequency: float) -> float:
    coefficient = 2 * math.cos(2 * math.pi * frequency / RATE)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coefficient * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2


def read_left(path: Path, start_byte: int = 0, end_byte: int | None = None) -> array:
    with path.open("rb") as file:
        file.seek(start_byte - start_byte % FRAME_BYTES)
        data = file.read(None if end_byte is None else max(0, end_byte - start_byte))
    data = data[: len(data) - len(data) % FRAME_BYTES]
    pcm = array("h")
    pcm.frombytes(data)
    return pcm[0::CHANNELS]


def sounds_in(left: array) -> list[Heard]:
    """The separate sounds in `left`, in order."""
    found: list[Heard] = []
    gap_frames = int(GAP * RATE)
    start: int | None = None
    last_loud = 0
    for i, value in enumerate(left):
        if abs(value) >= THRESHOLD:
            if start is None:
                start = i
            last_loud = i
        elif start is not None and i - last_loud > gap_frames:
            found.append(_heard(left, start, last_loud))
            start = None
    if start is not None:
        found.append(_heard(left, start, last_loud))
    return found


def _heard(left: array, start: int, end: int) -> Heard:
    part = left[start : end + 1]
    return Heard(start / RATE, len(part) / RATE, max(abs(v) for v in part), part)
