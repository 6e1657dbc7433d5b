"""A scanner's keys held up by a slow frame keep their place in one code (kiosk.ui.keys.KeyArrival)."""

from __future__ import annotations

from hardware.base import Scan
from hardware.wedge import WedgeDecoder
from kiosk.ui.keys import KeyArrival


def test_keys_that_waited_out_a_slow_frame_are_not_a_pause_of_the_scanners() -> None:
    arrival, decoder, answers = KeyArrival(), WedgeDecoder(), []
    # Frame 1 sees "TS00"; frame 2 takes 1.2 s (a new screen); frame 3 sees the rest and Enter.
    frames = [(10.000, "TS00"), (11.200, "0012"), (11.201, "\r")]
    for handled_at, keys in frames:
        arrival.new_frame()
        for key in keys:
            answers.append(decoder.feed(key, arrival.stamp(handled_at)))
    assert [a for a in answers if a is not None] == [Scan(code="TS000012", at=10.0)]


def test_a_person_typing_between_idle_frames_keeps_their_own_times() -> None:
    arrival, decoder, answers = KeyArrival(), WedgeDecoder(), []
    at = 0.0
    for key in "0012345678\r":
        for _ in range(9):  # nine frames of 16 ms without a key between two of a person's keys
            arrival.new_frame()
            at += 0.016
        answers.append(decoder.feed(key, arrival.stamp(at)))
    assert [a for a in answers if a is not None] == []
