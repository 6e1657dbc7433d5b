"""RDM6300 frames and line-per-card readers, parsed from whatever the serial line delivers."""

import re
from functools import reduce

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hardware.base import em4100_uid
from hardware.frames import CardNumber, LineParser, Rdm6300Parser, Rejected, rdm6300_frame
from tests.hardware.helpers import misread_at_wrong_baud

CARD = bytes.fromhex("1A00BC614E")
OTHER = bytes.fromhex("0400D4C1F2")
GOOD = rdm6300_frame(CARD)


def numbers(events):
    return [e.uid for e in events if isinstance(e, CardNumber)]


def rejections(events):
    return [e.reason for e in events if isinstance(e, Rejected)]


def with_bad_checksum(frame: bytes) -> bytes:
    return frame[:11] + (b"00" if frame[11:13] != b"00" else b"11") + frame[13:]


def test_valid_frame_is_a_card_number():
    assert Rdm6300Parser().feed(GOOD) == [CardNumber("0012345678")]


def test_frame_split_across_many_reads_is_one_card_number():
    parser = Rdm6300Parser()
    events = [e for byte in GOOD for e in parser.feed(bytes([byte]))]
    assert events == [CardNumber("0012345678")]


def test_lower_case_hex_and_trailing_cr_lf_from_clone_modules_are_accepted():
    frame = GOOD.lower()
    assert Rdm6300Parser().feed(frame + b"\r\n" + GOOD + b"\r\n") == [CardNumber("0012345678")] * 2


@pytest.mark.parametrize(
    "bad, reason",
    [
        (with_bad_checksum(GOOD), "bad checksum"),
        (GOOD[:7], "truncated frame"),
        (b"\xf8\x00\xfe\x13garbage\x80", "noise"),
        (GOOD[:5] + b"\x03", "frame of wrong length"),
        (GOOD[:13] + b"A\x03", "broken frame"),
        (GOOD[:5] + b"\xff" + GOOD[6:], "broken frame"),
    ],
    ids=["bad checksum", "truncated", "noise", "short", "no ETX", "bad byte"],
)
def test_bad_input_is_rejected_and_the_next_valid_frame_still_reads(bad, reason):
    parser = Rdm6300Parser()
    events = parser.feed(bad) + parser.feed(rdm6300_frame(OTHER))
    assert reason in rejections(events)
    assert numbers(events) == [em4100_uid(OTHER)]


@pytest.mark.parametrize("read_baud", [115200, 57600, 19200, 4800, 2400])
def test_module_at_9600_read_at_the_wrong_baud_gives_no_card(read_baud):
    garbage = misread_at_wrong_baud(GOOD * 3, sent_baud=9600, read_baud=read_baud)
    parser = Rdm6300Parser()
    events = parser.feed(garbage) + parser.idle()
    assert numbers(events) == []
    assert rejections(events)


def test_half_frame_followed_by_silence_is_reported_as_truncated():
    parser = Rdm6300Parser()
    assert parser.feed(GOOD[:9]) == []
    assert rejections(parser.idle()) == ["truncated frame"]
    assert parser.idle() == []  # reported once
    assert numbers(parser.feed(GOOD)) == ["0012345678"]


def test_a_long_burst_of_noise_is_one_rejection_not_thousands():
    events = Rdm6300Parser().feed(b"\xff" * 10_000 + GOOD)
    assert [(e.reason, e.length, len(e.raw)) for e in events if isinstance(e, Rejected)] == [
        ("noise", 10_000, 64)
    ]


# --- property: random streams with embedded valid frames ------------------------------------------------

VALID_FRAME = re.compile(rb"\x02([0-9A-Fa-f]{10})([0-9A-Fa-f]{2})\x03")


def valid_frames_in(stream: bytes) -> list[str]:
    """The oracle: every well-formed frame with a correct checksum, found by a regular expression.
    Frames never contain STX, so they cannot overlap and `finditer` finds them all."""
    found = []
    for match in VALID_FRAME.finditer(stream):
        card_id = bytes.fromhex(match.group(1).decode())
        if reduce(lambda a, b: a ^ b, card_id) == int(match.group(2), 16):
            found.append(em4100_uid(card_id))
    return found


card_ids = st.binary(min_size=5, max_size=5)
fragments = [b"\x02", b"\x02123", b"\x03", GOOD[:9], with_bad_checksum(GOOD)]
noise = st.binary(max_size=40) | st.sampled_from(fragments)


@st.composite
def streams(draw):
    """Noise, frames and frame fragments interleaved, and the cards whose frames went in whole."""
    cards, parts = [], []
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(noise))
        card = draw(card_ids)
        cards.append(em4100_uid(card))
        parts.append(rdm6300_frame(card))
    parts.append(draw(noise))
    return b"".join(parts), cards


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(stream), *(c % (len(stream) + 1) for c in cuts)})
    return [stream[a:b] for a, b in zip(points, points[1:], strict=False)]


@settings(max_examples=300, deadline=None)
@given(streams(), st.lists(st.integers(0, 10_000), max_size=12))
@example((b"\x02" + GOOD, ["0012345678"]), [])
@example((GOOD[:9] + GOOD + b"\xff\x02", ["0012345678"]), [3, 12])
def test_parser_finds_exactly_the_valid_frames_in_any_stream_however_it_is_chunked(sample, cuts):
    stream, embedded = sample
    parser = Rdm6300Parser()
    events = [e for chunk in split(stream, cuts) for e in parser.feed(chunk)] + parser.idle()
    found = numbers(events)
    assert found == valid_frames_in(stream)
    remaining = iter(found)  # every frame we embedded is found, in order (noise may add lucky frames)
    assert all(card in remaining for card in embedded)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash_the_parser_and_give_only_real_frames(stream):
    parser = Rdm6300Parser()
    assert numbers(parser.feed(stream) + parser.idle()) == valid_frames_in(stream)


# --- one card number per line ---------------------------------------------------------------------------


def test_line_reader_numbers_with_any_line_ending_are_card_numbers():
    parser = LineParser()
    assert numbers(parser.feed(b"0012345678\r\n04a2b3c4\n0009876543\r")) == [
        "0012345678",
        "04A2B3C4",
        "0009876543",
    ]


def test_line_reader_junk_line_is_rejected_and_the_next_line_reads():
    parser = LineParser()
    events = parser.feed(b"\xf8\x00ERR!\r\n" + b"9" * 100 + b"\n0012345678\n")
    assert rejections(events) == ["not a card number", "not a card number"]
    assert numbers(events) == ["0012345678"]


def test_line_reader_line_cut_off_by_silence_is_reported():
    parser = LineParser()
    assert parser.feed(b"00123") == []
    assert rejections(parser.idle()) == ["line without an end"]
    assert numbers(parser.feed(b"0012345678\n")) == ["0012345678"]


def test_line_reader_pattern_is_configurable():
    assert numbers(LineParser(r"\d{10}").feed(b"04A2B3C4\n0012345678\n")) == ["0012345678"]
