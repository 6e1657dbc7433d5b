#!/usr/bin/env python3
"""Make the kiosk's two tones (kiosk/ui/assets/sounds/*.wav) from arithmetic: no recording, no licence.

    python3 scripts/make_tones.py

- accepted.wav: a bright rising "ding-ding" (C6 then G6, bell-like decay): a tap or a scan was taken.
- refused.wav: a soft, low falling "dum-dum" (G4 then E♭4, rounded): "not now". Kind, not a buzzer:
  a child hears it after a refusal and should not feel scolded.

The two are told apart by pitch (tests/ui/test_sound.py finds the loudest frequency of what SDL played:
above 1 kHz is the chime, under 500 Hz the refusal). 44.1 kHz mono 16-bit, the mixer's own rate, so
nothing is resampled. Running the script again writes the same bytes.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
PEAK = 0.85
TARGET = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "assets" / "sounds"

# (frequency Hz, start s, length s, loudness 0-1); overtones as (multiple, share of the loudness)
ACCEPTED = ((1046.5, 0.0, 0.16, 0.55), (1568.0, 0.11, 0.30, 0.5))
ACCEPTED_OVERTONES = ((2.0, 0.18), (3.0, 0.06))
REFUSED = ((392.0, 0.0, 0.18, 0.6), (311.1, 0.17, 0.32, 0.6))
REFUSED_OVERTONES = ((2.0, 0.08),)


def note_sample(
    t: float, frequency: float, length: float, overtones: tuple[tuple[float, float], ...]
) -> float:
    """One note at time t after its start: a 5 ms rise, then an exponential fade over its length."""
    if t < 0 or t > length:
        return 0.0
    attack = min(1.0, t / 0.005)
    fade = math.exp(-4.0 * t / length) * (1 - t / length)  # reaches silence exactly at its end
    wave_sum = math.sin(2 * math.pi * frequency * t)
    for multiple, share in overtones:
        wave_sum += share * math.sin(2 * math.pi * frequency * multiple * t)
    return attack * fade * wave_sum


def tone(
    notes: tuple[tuple[float, float, float, float], ...], overtones: tuple[tuple[float, float], ...]
) -> bytes:
    """The notes mixed and scaled to PEAK of full scale (as loud as the voice prompts)."""
    end = max(start + length for _, start, length, _ in notes) + 0.02
    values = [
        sum(
            loudness * note_sample(i / RATE - start, frequency, length, overtones)
            for frequency, start, length, loudness in notes
        )
        for i in range(int(end * RATE))
    ]
    scale = PEAK * 32767 / max(abs(v) for v in values)
    return b"".join(struct.pack("<h", round(v * scale)) for v in values)


def write(name: str, pcm: bytes) -> None:
    with wave.open(str(TARGET / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    write("accepted.wav", tone(ACCEPTED, ACCEPTED_OVERTONES))
    write("refused.wav", tone(REFUSED, REFUSED_OVERTONES))
    print(f"tones in {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
