"""A card resting on the reader is one tap; lifted and tapped again after the gap, it is a new one.

These run on the fake reader and a manual clock, through the same debouncer the real readers use."""

import pytest

from hardware.base import CardTap
from hardware.debounce import DEFAULT_GAP_SECONDS, Debouncer
from hardware.fake import FakeReader, ManualClock
from tests.hardware.helpers import in_thread

CARD = "04A2B3C4"
OTHER = "04FFEE01"


@pytest.fixture
def reader():
    fake = FakeReader()
    yield fake
    fake.close()


def uids(reader):
    return [tap.uid for tap in reader.pending()]


def test_same_card_held_on_reader_signs_in_once(reader):
    reader.hold(CARD, seconds=3)
    assert uids(reader) == [CARD]


def test_card_resting_for_an_hour_is_still_one_tap(reader):
    reader.hold(CARD, seconds=3600)
    assert uids(reader) == [CARD]


def test_card_lifted_and_tapped_again_after_the_gap_is_a_second_tap(reader):
    reader.hold(CARD, seconds=2)
    reader.tap(CARD, after=DEFAULT_GAP_SECONDS + 0.1)
    assert uids(reader) == [CARD, CARD]


def test_fumbled_double_tap_is_one_tap(reader):
    reader.tap(CARD)
    reader.tap(CARD, after=0.3)
    assert uids(reader) == [CARD]


def test_gap_counts_from_when_the_card_was_last_seen_not_first_seen(reader):
    reader.hold(CARD, seconds=10)
    reader.tap(CARD, after=DEFAULT_GAP_SECONDS - 0.2)
    assert uids(reader) == [CARD]


def test_children_tapping_one_after_another_are_each_heard(reader):
    reader.tap(CARD)
    reader.tap(OTHER, after=0.2)
    reader.tap(CARD, after=DEFAULT_GAP_SECONDS)
    assert uids(reader) == [CARD, OTHER, CARD]


def test_gap_is_configurable():
    reader = FakeReader(debounce_seconds=5.0)
    reader.tap(CARD)
    reader.tap(CARD, after=3.0)
    reader.tap(CARD, after=5.0)
    assert uids(reader) == [CARD, CARD]


def test_tap_carries_normalised_uid_reader_name_and_monotonic_time():
    clock = ManualClock(start=50.0)
    reader = FakeReader("desk", clock=clock)
    reader.tap("04:a2:b3:c4", after=1.0)
    assert reader.pending() == [CardTap(uid=CARD, reader="desk", at=51.0)]


def test_card_read_by_two_readers_at_once_is_one_tap():
    debouncer = Debouncer(gap=1.5)
    first = debouncer.observe(CardTap(CARD, "left", 10.0))
    second = debouncer.observe(CardTap(CARD, "right", 10.2))
    assert (first, second) == (CardTap(CARD, "left", 10.0), None)


def test_late_sighting_from_a_slow_thread_does_not_turn_time_back():
    debouncer = Debouncer(gap=1.0)
    debouncer.observe(CardTap(CARD, "a", 10.0))
    debouncer.observe(CardTap(CARD, "a", 10.9))
    debouncer.observe(CardTap(CARD, "b", 10.1))  # arrived late from another reader's thread
    assert debouncer.observe(CardTap(CARD, "a", 11.5)) is None


def test_many_cards_do_not_make_the_debouncer_forget_a_resting_one():
    debouncer = Debouncer(gap=1.0)
    assert debouncer.observe(CardTap(CARD, "a", 0.0)) is not None
    for i in range(200):
        debouncer.observe(CardTap(f"{i:08X}", "b", 0.0 + i * 0.001))
        debouncer.observe(CardTap(CARD, "a", 0.0 + i * 0.001))
    assert debouncer.observe(CardTap(CARD, "a", 0.5)) is None


def test_gap_must_be_positive_and_resting_card_reported_within_it():
    with pytest.raises(ValueError):
        Debouncer(gap=0)
    with pytest.raises(ValueError):
        FakeReader(debounce_seconds=0.1, repeat_seconds=0.2)


def test_fake_reader_serves_a_consumer_on_another_thread_until_closed(reader):
    received: list[CardTap] = []
    consumer = in_thread(lambda: received.extend(reader.taps()))
    reader.tap(CARD)
    reader.tap(OTHER)
    reader.close()
    consumer.join(timeout=5)
    assert not consumer.is_alive()
    assert [tap.uid for tap in received] == [CARD, OTHER]
