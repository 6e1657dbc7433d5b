"""PC/SC readers through pyscard and a real pcscd, with vpcd virtual readers and virtual cards."""

import logging
import time

from hardware.pcsc import PcscContext, PcscSettings, PcscSource, visible_readers
from tests.hardware.helpers import TEST_GAP, TEST_POLL, next_tap, pcsc_reader_holds_a_card, wait_for

ANNA, BO = "04A2B3C4", "04FFEE0177AB12"  # a 4-byte and a 7-byte UID
FIRST, SECOND = "Virtual PCD 00 00", "Virtual PCD 00 01"


def pcsc_source(**settings):
    return PcscSource(PcscSettings(poll_seconds=TEST_POLL, **settings))


def test_pcscd_shows_both_virtual_readers(pcscd):
    assert visible_readers() == [FIRST, SECOND]


def test_card_placed_on_the_reader_is_a_tap_with_its_uid(pcscd, card, hub):
    readers = hub(pcsc_source())
    card(ANNA).insert()
    tap = next_tap(readers)
    assert (tap.uid, tap.reader) == (ANNA, FIRST)


def test_card_resting_on_the_reader_is_one_tap(pcscd, card, hub):
    readers = hub(pcsc_source())
    card(ANNA).insert()
    assert next_tap(readers).uid == ANNA
    time.sleep(3 * TEST_GAP)  # rests for three debounce gaps while the adapter keeps re-reporting it
    card(BO, reader=1).insert()
    assert next_tap(readers).uid == BO  # the next tap is the next child, not Anna again


def test_card_lifted_and_placed_again_is_a_second_tap(pcscd, card, hub):
    readers = hub(pcsc_source())
    anna = card(ANNA)
    anna.insert()
    assert next_tap(readers).uid == ANNA
    anna.remove()
    wait_for(lambda: not pcsc_reader_holds_a_card(FIRST), what="pcscd to see the card lifted")
    time.sleep(TEST_GAP + 0.1)  # away for longer than the debounce gap
    anna.insert()
    assert next_tap(readers).uid == ANNA


def test_two_readers_at_once(pcscd, card, hub):
    readers = hub(pcsc_source())
    card(ANNA, reader=0).insert()
    card(BO, reader=1).insert()
    taps = [next_tap(readers), next_tap(readers)]
    assert {(tap.reader, tap.uid) for tap in taps} == {(FIRST, ANNA), (SECOND, BO)}


def test_card_without_a_uid_is_a_warning_not_a_tap(pcscd, card, hub, caplog):
    caplog.set_level(logging.WARNING, logger="hardware")
    readers = hub(pcsc_source())
    card(None, reader=0).insert()
    wait_for(lambda: any("gave no UID" in r.getMessage() for r in caplog.records), what="the warning")
    card(BO, reader=1).insert()
    assert next_tap(readers).uid == BO


def test_reader_filter_leaves_other_readers_alone(pcscd, card, hub):
    readers = hub(pcsc_source(readers=["00 01"]))
    card(ANNA, reader=0).insert()
    card(BO, reader=1).insert()
    assert next_tap(readers).uid == BO
    assert readers.get(timeout=2 * TEST_GAP) is None


def test_taps_resume_after_the_reader_goes_away_and_comes_back(pcscd, card, hub, caplog):
    """pcscd stopping takes every reader with it and invalidates the kiosk's PC/SC context, the hardest
    way a reader can go; the adapter must establish a new context by itself once pcscd is back."""
    caplog.set_level(logging.WARNING, logger="hardware")
    readers = hub(pcsc_source())
    anna = card(ANNA)
    anna.insert()
    assert next_tap(readers).uid == ANNA

    pcscd.stop()  # the card is still on the reader when it goes
    wait_for(lambda: readers.status()["PC/SC"].startswith("failing"), what="the loss to be noticed")
    wait_for(lambda: not anna.on_reader, what="the virtual reader to drop the card")
    pcscd.start()
    assert readers.wait_until_connected(10)
    card(BO, reader=1).insert()

    assert next_tap(readers).uid == BO
    assert any(r.levelno == logging.WARNING and "PC/SC" in r.getMessage() for r in caplog.records)


def test_kiosk_started_before_pcscd_picks_the_readers_up_when_it_starts(pcscd, card, hub):
    pcscd.stop()
    readers = hub(pcsc_source(), wait=False)
    wait_for(lambda: readers.status()["PC/SC"].startswith("failing"), what="the first failed attempt")
    pcscd.start()
    card(ANNA).insert()
    assert next_tap(readers).uid == ANNA


def test_reader_unplugged_while_pcscd_runs_is_forgotten_and_the_others_keep_working(
    pcscd, card, hub, caplog, monkeypatch
):
    """A USB reader pulled out between listing and waiting: pcscd answers for a reader it no longer has.
    (vpcd readers cannot be unplugged, so the first listing also names one that is already gone.)"""
    caplog.set_level(logging.INFO, logger="hardware")
    real_list = PcscContext.list_readers
    calls = []

    def list_with_a_reader_just_pulled_out(context):
        calls.append(1)
        return real_list(context) + (["ACS ACR122U PICC Interface 00 00"] if len(calls) == 1 else [])

    monkeypatch.setattr(PcscContext, "list_readers", list_with_a_reader_just_pulled_out)
    readers = hub(pcsc_source())
    wait_for(lambda: any("reader gone: ACS ACR122U" in r.getMessage() for r in caplog.records), what="it")
    card(ANNA).insert()
    assert next_tap(readers).uid == ANNA
    assert readers.status()["PC/SC"] == "connected"
