"""Every complete scan gets an answer. A burst of machine-fast keys ending in Enter is a scan, whether
or not it is a code the room knows: one too long, too short or of no known pattern comes back as an
`UnreadableCode` that says its shape (length, runs of letters and digits), never the code itself, so
the kiosk can say "try again" and log what went wrong without writing down a card number."""

from __future__ import annotations

import logging

import pytest

from hardware.base import CardTap, Scan, UnreadableCode, code_shape
from hardware.fake import keystrokes
from hardware.hub import ReaderHub
from hardware.wedge import WedgeDecoder

SCANNER = 0.005


def fed(decoder: WedgeDecoder, text: str, start: float = 0.0, gap: float = SCANNER) -> list[object]:
    return [r for key, at in keystrokes(text, start=start, key_gap=gap) if (r := decoder.feed(key, at))]


@pytest.mark.parametrize(
    ("code", "why", "shape"),
    [
        ("1" * 30 + "0012345678", "too_long", "D40"),
        ("A" * 40 + "04A2B3C4", "too_long", "A40 D2 A1 D1 A1 D1 A1 D1"),
        ("hello world", "no_pattern", "A5 _1 A5"),
        ("LQ-0042x", "no_pattern", "A2 #1 D4 A1"),
        ("12", "too_short", "D2"),
    ],
)
def test_a_complete_code_the_room_cannot_use_is_answered_by_its_shape(
    code: str, why: str, shape: str
) -> None:
    [answer] = fed(WedgeDecoder(), code)
    assert isinstance(answer, UnreadableCode)
    assert (answer.length, answer.why, answer.shape) == (len(code), why, shape)
    assert code not in repr(answer)  # nothing of the code travels on


def test_the_shape_is_capped_so_a_log_line_stays_short() -> None:
    assert code_shape("A1" * 40).endswith("…") and len(code_shape("A1" * 40)) < 60


def test_a_person_typing_and_an_enter_alone_are_not_scans_at_all() -> None:
    assert fed(WedgeDecoder(), "hello world", gap=0.25) == []
    assert WedgeDecoder().feed("enter", 5.0) is None


def test_codes_the_room_knows_are_still_cards_and_labels() -> None:
    decoder = WedgeDecoder()
    assert [type(r) for r in fed(decoder, "0012345678") + fed(decoder, "LQ-0042", start=1)] == [CardTap, Scan]


def test_the_hub_hands_an_unreadable_code_back_to_the_screen_like_a_barcode(caplog) -> None:
    hub = ReaderHub(wedge=WedgeDecoder())
    secret = "99" + "0012345678" * 4
    caplog.set_level(logging.DEBUG)
    answers = [hub.feed_key(k, at) for k, at in keystrokes(secret, start=0, key_gap=SCANNER)]
    [answer] = [a for a in answers if a is not None]
    assert isinstance(answer, UnreadableCode) and answer.why == "too_long" and answer.length == 42
    assert hub.get(timeout=0) is None  # not a tap
    assert "0012345678" not in caplog.text
