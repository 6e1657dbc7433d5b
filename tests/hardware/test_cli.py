"""`python -m hardware list` and `watch`, as the room administrator runs them when setting up."""

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hardware.frames import rdm6300_frame
from tests.hardware.helpers import WAIT

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hardware", *args], cwd=ROOT, capture_output=True, text=True, timeout=WAIT
    )


class Watch:
    """`python -m hardware watch ...` running in the background, its output read line by line."""

    def __init__(self, *args: str, stdin: int = subprocess.DEVNULL) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hardware", "watch", *args],
            cwd=ROOT,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = {"stdout": queue.Queue(), "stderr": queue.Queue()}
        self.seen: dict[str, list[str]] = {"stdout": [], "stderr": []}
        for stream, pipe in (("stdout", self.process.stdout), ("stderr", self.process.stderr)):
            threading.Thread(target=self._pump, args=(pipe, self.lines[stream]), daemon=True).start()

    @staticmethod
    def _pump(pipe, lines: queue.Queue) -> None:
        for line in pipe:
            lines.put(line)

    def wait_for(self, text: str, stream: str = "stdout") -> str:
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines[stream].get(timeout=left)
            except queue.Empty:
                break
            self.seen[stream].append(line)
            if text in line:
                return line
        raise AssertionError(f"{text!r} never appeared on {stream}: {self.seen}")

    def finish(self) -> int:
        return self.process.wait(timeout=WAIT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT)


@pytest.fixture
def watch():
    started: list[Watch] = []

    def start(*args: str, stdin: int = subprocess.DEVNULL) -> Watch:
        started.append(Watch(*args, stdin=stdin))
        return started[-1]

    yield start
    for running in started:
        running.kill()


def test_list_shows_the_pcsc_readers_and_what_the_kiosk_would_open(pcscd):
    result = run("list")
    assert result.returncode == 0, result.stderr
    assert "  Virtual PCD 00 00\n  Virtual PCD 00 01\n" in result.stdout
    assert "Serial ports:" in result.stdout
    assert "The kiosk would use: PC/SC" in result.stdout


def test_list_without_pcscd_says_why_instead_of_failing():
    assert os.environ["PCSCLITE_CSOCK_NAME"]  # our own (stopped) pcscd, never the machine's
    result = run("list", "--use", "pcsc")
    assert result.returncode == 0
    assert "none: PC/SC service: Service not available." in result.stdout


def test_watch_prints_a_card_tapped_on_a_pcsc_reader(pcscd, card, watch):
    watcher = watch("--use", "pcsc", "--count", "1")
    watcher.wait_for("watching: PC/SC")
    card("04A2B3C4").insert()
    assert watcher.wait_for("card 04A2B3C4").rstrip().endswith("card 04A2B3C4  on Virtual PCD 00 00")
    assert watcher.finish() == 0


def test_watch_prints_a_card_read_on_a_serial_port(serial_line, watch):
    watcher = watch("--port", str(serial_line.path), "--baud", "9600", "--count", "1")
    watcher.wait_for("open at 9600 baud", stream="stderr")
    serial_line.write(rdm6300_frame(bytes.fromhex("1A00BC614E")))
    assert f"card 0012345678  on {serial_line.path}" in watcher.wait_for("card ")
    assert watcher.finish() == 0


def test_watch_hears_a_wedge_reader_and_a_barcode_scanner_typing_into_the_terminal(watch):
    terminal, keyboard_side = os.openpty()
    try:
        watcher = watch("--use", "keyboard", "--count", "1", stdin=keyboard_side)
        watcher.wait_for("watching: keyboard")
        os.write(terminal, b"9787020002207\r")  # a machine types it all at once
        assert "barcode 9787020002207" in watcher.wait_for("barcode")
        os.write(terminal, b"0012345678\r")
        assert "card 0012345678  on keyboard" in watcher.wait_for("card ")
        assert watcher.finish() == 0
    finally:
        os.close(terminal)
        os.close(keyboard_side)


def test_watch_uses_the_kiosk_config_file(tmp_path, serial_line, watch):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[readers]\nuse = ["serial"]\n[[readers.serial]]\nport = "{serial_line.path}"\n'
                      'protocol = "lines"\n')  # fmt: skip
    watcher = watch("--config", str(config), "--count", "1")
    watcher.wait_for("(lines)", stream="stderr")
    serial_line.write(b"0009876543\r\n")
    assert "card 0009876543" in watcher.wait_for("card ")
    assert watcher.finish() == 0


def test_mistake_in_the_config_file_is_explained(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[readers]\nuse = ["nfc"]\n')
    result = run("watch", "--config", str(config), "--seconds", "1")
    assert result.returncode == 2
    assert f"{config}:2: [readers] use:" in result.stderr and "nfc" in result.stderr
