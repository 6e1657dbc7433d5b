"""Several readers as one: each in its own thread, one failure never stops the others."""

import logging
import threading

from hardware.frames import rdm6300_frame
from hardware.hub import ReaderHub
from hardware.serial_reader import SerialSettings, SerialSource
from hardware.source import Backoff, SourceLink, Supervisor
from tests.hardware.helpers import in_thread, next_tap, wait_for


class BrokenReader:
    """A reader whose every open fails, like a USB reader with a broken cable."""

    name = "broken reader"

    def __init__(self):
        self.attempts = 0

    def run(self, link: SourceLink) -> None:
        self.attempts += 1
        raise OSError("device not responding")


def test_broken_reader_does_not_stop_the_working_one(serial_line, hub):
    broken = BrokenReader()
    good = SerialSource(SerialSettings(port=str(serial_line.path)))
    readers = hub(broken, good, wait=False)
    assert readers.wait_until_connected(10, good.name)
    serial_line.write(rdm6300_frame(bytes.fromhex("1A00BC614E")))
    assert next_tap(readers).uid == "0012345678"
    wait_for(lambda: broken.attempts >= 3, what="retries of the broken reader")
    assert readers.status()[broken.name] == "failing: OSError: device not responding"


def test_reader_that_stays_away_is_warned_about_once_then_quietly_retried(caplog):
    caplog.set_level(logging.DEBUG, logger="hardware")
    stop = threading.Event()
    broken = BrokenReader()
    supervisor = Supervisor(
        broken, stop=stop, clock=lambda: 0.0, seen=lambda *a: None, backoff=Backoff(0.001, 0.002)
    )
    thread = in_thread(supervisor.run)
    wait_for(lambda: broken.attempts >= 5, what="retries")
    stop.set()
    thread.join(5)
    levels = [r.levelno for r in caplog.records if broken.name in r.getMessage()]
    assert levels.count(logging.WARNING) == 1 and levels.count(logging.DEBUG) >= 3


def test_reconnect_waits_grow_to_a_ceiling_and_start_again_after_success():
    backoff = Backoff(0.5, 4.0)
    assert [backoff.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_closing_the_hub_ends_taps_for_a_consumer_on_another_thread(serial_line, hub):
    readers = hub(SerialSource(SerialSettings(port=str(serial_line.path))))
    received = []
    consumer = in_thread(lambda: received.extend(readers.taps()))
    serial_line.write(rdm6300_frame(bytes.fromhex("1A00BC614E")))
    wait_for(lambda: received, what="the tap")
    readers.close()
    consumer.join(5)
    assert not consumer.is_alive()
    assert [t.uid for t in received] == ["0012345678"]


def test_closed_hub_stops_its_reader_threads(serial_line):
    readers = ReaderHub([SerialSource(SerialSettings(port=str(serial_line.path)))]).start()
    assert readers.wait_until_connected(10)
    readers.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("reader ")]
    assert readers.get(timeout=0) is None
