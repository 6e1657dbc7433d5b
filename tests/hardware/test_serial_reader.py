"""A serial card reader on a real pty pair, opened by pyserial as a USB-serial adapter would be."""

import logging

import pytest

from hardware.base import em4100_uid
from hardware.frames import rdm6300_frame
from hardware.serial_reader import SerialSettings, SerialSource
from tests.hardware.helpers import misread_at_wrong_baud, next_tap, wait_for

ANNA = bytes.fromhex("1A00BC614E")  # printed on the card: 0012345678
BO = bytes.fromhex("0400D4C1F2")


def source_on(line, **settings):
    return SerialSource(SerialSettings(port=str(line.path), **settings))


def test_card_on_serial_reader_is_a_tap_named_after_the_port(serial_line, hub):
    readers = hub(source_on(serial_line))
    serial_line.write(rdm6300_frame(ANNA))
    tap = next_tap(readers)
    assert (tap.uid, tap.reader) == ("0012345678", str(serial_line.path))


def test_card_resting_on_the_module_repeating_its_frame_is_one_tap(serial_line, hub):
    readers = hub(source_on(serial_line))
    serial_line.write(rdm6300_frame(ANNA) * 20)
    serial_line.write(rdm6300_frame(BO))  # the next child: everything before it has been read
    assert [next_tap(readers).uid, next_tap(readers).uid] == [em4100_uid(ANNA), em4100_uid(BO)]


BAD_INPUT = {
    "bad checksum": rdm6300_frame(ANNA)[:11] + b"00" + b"\x03",
    "truncated frame": rdm6300_frame(ANNA)[:8],
    "noise": b"\xf8\x00\xfe\x00\x80 hello \xff",
    "wrong baud": misread_at_wrong_baud(rdm6300_frame(ANNA), sent_baud=9600, read_baud=115200),
}


@pytest.mark.parametrize("kind", BAD_INPUT)
def test_bad_bytes_make_no_tap_and_a_warning_and_the_next_card_still_reads(kind, serial_line, hub, caplog):
    caplog.set_level(logging.WARNING, logger="hardware")
    readers = hub(source_on(serial_line))
    serial_line.write(BAD_INPUT[kind])
    serial_line.write(rdm6300_frame(BO))
    assert next_tap(readers).uid == em4100_uid(BO)  # not ANNA: her damaged frame made no tap
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ignored" in w for w in warnings), warnings
    assert not any("0012345678" in w or "1A00BC614E" in w for w in warnings), "a card number at WARNING"


def test_half_frame_then_silence_is_warned_about_without_waiting_for_the_next_card(serial_line, hub, caplog):
    caplog.set_level(logging.WARNING, logger="hardware")
    hub(source_on(serial_line))
    serial_line.write(rdm6300_frame(ANNA)[:6])
    wait_for(lambda: any("truncated frame" in r.getMessage() for r in caplog.records), what="a warning")


def test_reader_sending_one_number_per_line(serial_line, hub):
    readers = hub(source_on(serial_line, protocol="lines"))
    serial_line.write(b"0012345678\r\n")
    serial_line.write(b"NOT A CARD\r\n04a2b3c4\r\n")
    assert [next_tap(readers).uid, next_tap(readers).uid] == ["0012345678", "04A2B3C4"]


def test_unplugged_usb_serial_adapter_is_reopened_when_plugged_back(serial_line, hub, caplog):
    caplog.set_level(logging.WARNING, logger="hardware")
    readers = hub(source_on(serial_line))
    name = f"serial {serial_line.path}"
    serial_line.write(rdm6300_frame(ANNA))
    assert next_tap(readers).uid == em4100_uid(ANNA)

    serial_line.unplug()
    wait_for(lambda: readers.status()[name].startswith("failing"), what="the unplug to be noticed")
    serial_line.plug()
    assert readers.wait_until_connected(10, name)
    serial_line.write(rdm6300_frame(BO))

    assert next_tap(readers).uid == em4100_uid(BO)
    assert any(r.levelno == logging.WARNING and name in r.getMessage() for r in caplog.records)


def test_port_that_is_not_there_yet_is_opened_once_it_appears(serial_line, hub):
    serial_line.unplug()
    readers = hub(source_on(serial_line), wait=False)
    wait_for(lambda: readers.status()[f"serial {serial_line.path}"].startswith("failing"), what="a failure")
    serial_line.plug()
    assert readers.wait_until_connected(10)
    serial_line.write(rdm6300_frame(ANNA))
    assert next_tap(readers).uid == em4100_uid(ANNA)


def test_card_numbers_reach_the_debug_log_only_as_a_short_hash(serial_line, hub, caplog):
    caplog.set_level(logging.DEBUG, logger="hardware")
    readers = hub(source_on(serial_line))
    serial_line.write(BAD_INPUT["bad checksum"])  # ANNA's frame with a broken checksum …
    serial_line.write(rdm6300_frame(ANNA))  # … then ANNA's card read properly
    assert next_tap(readers).uid == "0012345678"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    hex_digits = rdm6300_frame(ANNA)[1:11].decode()
    assert "card:" in logged and "ignored bytes 02 · · ·" in logged
    for spelling in ("0012345678", hex_digits, hex_digits.encode().hex(" "), ANNA.hex()):
        assert spelling.lower() not in logged.lower()
