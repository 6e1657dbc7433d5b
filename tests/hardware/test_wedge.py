"""Keyboard-wedge readers and barcode scanners type fast; children type slowly."""

import re

import pytest

from hardware.base import CardTap, Scan, UnreadableCode
from hardware.fake import keystrokes
from hardware.hub import ReaderHub
from hardware.wedge import WedgeDecoder, WedgeSettings

READER_SPEED = 0.012  # seconds per key: a typical USB 125 kHz reader
CHILD_SPEED = 0.25


def feed(decoder, events):
    return [result for key, at in events if (result := decoder.feed(key, at)) is not None]


def test_reader_typing_a_card_number_and_enter_is_a_tap():
    assert feed(WedgeDecoder(), keystrokes("0012345678", start=1.0, key_gap=READER_SPEED)) == [
        CardTap(uid="0012345678", reader="keyboard", at=1.0 + 10 * READER_SPEED)
    ]


def test_child_typing_the_same_digits_is_ignored():
    assert feed(WedgeDecoder(), keystrokes("0012345678", start=1.0, key_gap=CHILD_SPEED)) == []


def test_fast_typist_is_still_too_slow_to_be_a_reader():
    assert feed(WedgeDecoder(), keystrokes("0012345678", start=1.0, key_gap=0.09)) == []


def test_book_barcode_is_a_scan_not_a_card():
    assert feed(WedgeDecoder(), keystrokes("9787020002207", start=2.0, key_gap=0.008)) == [
        Scan(code="9787020002207", at=2.0 + 13 * 0.008)
    ]


def test_asset_tag_on_a_basketball_is_a_scan():
    (result,) = feed(WedgeDecoder(), keystrokes("LQ-0042", start=0.0, key_gap=0.01))
    assert result == Scan(code="LQ-0042", at=pytest.approx(0.07))


def test_enter_pressed_by_hand_after_a_fast_burst_is_ignored():
    events = keystrokes("0012345678", start=0.0, key_gap=READER_SPEED, enter=False) + [("enter", 1.0)]
    assert feed(WedgeDecoder(), events) == []


def test_keys_a_child_typed_before_the_reader_do_not_spoil_the_card_number():
    events = keystrokes("12", start=0.0, key_gap=CHILD_SPEED, enter=False)
    events += keystrokes("0012345678", start=1.0, key_gap=READER_SPEED)
    assert [t.uid for t in feed(WedgeDecoder(), events)] == ["0012345678"]


def test_code_too_long_for_any_pattern_is_refused_not_cut_to_its_tail():
    [long_number] = feed(WedgeDecoder(), keystrokes("1" * 30 + "0012345678", start=0.0, key_gap=0.005))
    [long_hex] = feed(WedgeDecoder(), keystrokes("A" * 40 + "04A2B3C4", start=0.0, key_gap=0.005))
    assert isinstance(long_number, UnreadableCode) and isinstance(long_hex, UnreadableCode)
    assert (long_number.why, long_hex.why) == ("too_long", "too_long")


def test_fast_code_matching_no_pattern_is_refused():
    [answer] = feed(WedgeDecoder(), keystrokes("hello world", start=0.0, key_gap=0.005))
    assert isinstance(answer, UnreadableCode) and answer.why == "no_pattern"


def test_shift_or_arrow_key_breaks_a_code():
    events = keystrokes("00123", start=0.0, key_gap=0.01, enter=False) + [("shift", 0.05)]
    events += keystrokes("45678", start=0.06, key_gap=0.01)
    [answer] = feed(WedgeDecoder(), events)  # what came after the arrow is no card: refused, not a tap
    assert isinstance(answer, UnreadableCode) and answer.length == 5


def test_a_busy_machine_delivering_a_scanners_keys_in_bursts_loses_no_code():
    """Measured with both cores busy: pauses of 50-600 ms inside one code, most keys still together."""
    times = [0.0, 0.001, 0.145, 0.146, 0.147, 0.148, 0.149, 0.150, 0.668]  # T S 0 0 0 0 1 2 Enter
    events = list(zip([*"TS000012", "enter"], times, strict=True))
    assert feed(WedgeDecoder(), events) == [Scan(code="TS000012", at=0.668)]


def stalled(text: str, *, cuts: dict[int, float], key_gap: float = 0.008) -> list[tuple[str, float]]:
    """A scanner's code and Enter, the kiosk stalled for `cuts[i]` seconds before key i (Enter is
    len(text)): the keys after a stall arrive late, the scanner's own gaps between them unchanged."""
    events, at = [], 0.0
    for i, key in enumerate([*text, "enter"]):
        at += cuts.get(i, 0.0) + (key_gap if i else 0.0)
        events.append((key, at))
    return events


@pytest.mark.parametrize(
    "cuts",
    [
        {12: 1.3},  # seen in CI with both cores busy: the last digit came alone, "too short"
        {6: 2.0},
        {4: 1.1, 9: 1.6},  # two stalls in one code
    ],
    ids=["before-the-last-key", "mid-code", "twice"],
)
def test_a_code_cut_by_a_stall_longer_than_max_pause_is_joined_back(cuts):
    events = stalled("9787020002207", cuts=cuts)
    assert feed(WedgeDecoder(), events) == [Scan(code="9787020002207", at=events[-1][1])]


def test_a_cut_card_number_is_joined_back_too():
    assert [t.uid for t in feed(WedgeDecoder(), stalled("0012345678", cuts={5: 1.2}))] == ["0012345678"]


def test_a_whole_code_after_a_stalled_fragment_is_read_alone():
    """The first part of a code whose rest never came, then a whole new scan: the new scan as it is."""
    events = stalled("978702", cuts={}, key_gap=0.008)[:-1]  # six digits, no Enter
    events += [(k, at + 2.0) for k, at in keystrokes("9787544270878", start=0.0, key_gap=0.008)]
    assert [s.code for s in feed(WedgeDecoder(), events)] == ["9787544270878"]


def test_an_enter_alone_after_a_stall_is_still_a_persons():
    """Indistinguishable from a stall between a code and its Enter; the rule for a hand's Enter wins."""
    assert feed(WedgeDecoder(), stalled("9787020002207", cuts={13: 0.9})) == []


def test_a_fragment_is_not_joined_after_max_stall():
    events = stalled("9787020002207", cuts={12: 6.0})
    [answer] = feed(WedgeDecoder(), events)
    assert isinstance(answer, UnreadableCode) and answer.why == "too_short"


def test_a_persons_keys_before_a_stall_are_never_joined_to_a_scan():
    events = keystrokes("97870200022", start=0.0, key_gap=CHILD_SPEED, enter=False)  # a child, slowly
    events += keystrokes("07", start=10 * CHILD_SPEED + 1.0, key_gap=0.008)
    [answer] = feed(WedgeDecoder(), events)
    assert isinstance(answer, UnreadableCode)


def test_room_with_eight_digit_cards_and_its_own_asset_tags_configures_patterns():
    decoder = WedgeDecoder(
        WedgeSettings(card_patterns=[r"\d{8}"], scan_patterns=[r"97[89]\d{10}", r"ZC\d{5}"], reader="desk")
    )
    results = feed(decoder, keystrokes("12345678", start=0.0, key_gap=0.01))
    results += feed(decoder, keystrokes("ZC00017", start=1.0, key_gap=0.01))
    results += feed(decoder, keystrokes("0012345678", start=2.0, key_gap=0.01))
    assert [type(r).__name__ for r in results] == ["CardTap", "Scan", "UnreadableCode"]
    assert (results[0].uid, results[0].reader, results[1].code) == ("12345678", "desk", "ZC00017")


def test_slower_reader_is_heard_once_its_key_gap_is_configured():
    slow = keystrokes("0012345678", start=0.0, key_gap=0.07)
    assert feed(WedgeDecoder(), slow) == []
    assert len(feed(WedgeDecoder(WedgeSettings(max_key_gap=0.08)), slow)) == 1


@pytest.mark.parametrize(
    "bad",
    [dict(max_key_gap=0), dict(min_length=0), dict(min_length=9, max_length=8), dict(card_patterns=["("])],
)
def test_nonsense_settings_are_refused(bad):
    with pytest.raises((ValueError, re.error)):
        WedgeSettings(**bad)


def test_wedge_card_goes_through_the_hub_debouncer_and_a_barcode_comes_back_to_the_ui():
    hub = ReaderHub(wedge=WedgeDecoder(), debounce_seconds=1.5)
    scans = []
    for start in (10.0, 10.5, 13.0):  # the reader retypes a resting card at 10.5
        scans += [hub.feed_key(k, at) for k, at in keystrokes("0012345678", start=start, key_gap=0.01)]
    scans += [hub.feed_key(k, at) for k, at in keystrokes("9787020002207", start=20.0, key_gap=0.01)]
    taps = []
    while (tap := hub.get(timeout=0)) is not None:
        taps.append(tap)
    assert [round(t.at, 2) for t in taps] == [10.1, 13.1]
    assert [s.code for s in scans if s is not None] == ["9787020002207"]


def test_hub_without_a_keyboard_reader_ignores_keys():
    hub = ReaderHub()
    results = [hub.feed_key(k, at) for k, at in keystrokes("9787020002207", start=0, key_gap=0.01)]
    assert results == [None] * 14
