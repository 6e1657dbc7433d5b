"""Sentences with a child's given name ("请 3 号 子航 来打电话"), spoken by espeak-ng at run time.

espeak-ng is offline, small and on Raspberry Pi OS and Debian (deploy/install.sh installs it). It
runs on a thread of its own, never on the UI thread (synthesis takes 50-300 ms on a Pi), and never on
the database worker (a child's tap must not wait behind a sentence). The text goes in on standard
input, not the command line, where `ps` would show a child's name to every user of the machine; the
WAV goes to a private temporary folder and is removed once the player has loaded it.

Characters espeak-ng cannot say are left out of what it says: for a name outside the Basic
Multilingual Plane (𠈌, CJK Extension B) it spells the code point ("二零二零c"), so 王𠈌 is called
as 王 — the screen shows the whole name.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.ui.audio.cues import PITCH, SPEED_WPM, VOICES

log = logging.getLogger(__name__)
Post = Callable[[Callable[[], None]], None]
TIMEOUT_SECONDS = 10
_STOP = object()


def sayable(text: str) -> str:
    """The text without the characters espeak-ng would spell out as code points."""
    return "".join(ch for ch in text if ord(ch) < 0x10000)


def espeak_command(locale: str, wav: Path, program: str = "espeak-ng") -> list[str]:
    voice = VOICES.get(locale, VOICES["zh_CN"])
    return [program, "-v", voice, "-s", str(SPEED_WPM), "-p", str(PITCH), "-w", str(wav), "--stdin"]


class Speaker:
    """Turns text into WAV files on its own thread; `then(path)` runs on the UI thread (via `post`),
    with None when the text could not be spoken (espeak-ng missing or failing: the tone still sounds)."""

    def __init__(self, post: Post, program: str = "espeak-ng") -> None:
        self._post = post
        self._program = shutil.which(program)
        self.available = self._program is not None
        if not self.available:
            log.warning("espeak-ng is not installed: names will not be spoken (apt-get install espeak-ng)")
        self._folder = Path(tempfile.mkdtemp(prefix="kiosk-voice-"))  # mode 0700: names are private
        self._jobs: queue.Queue[object] = queue.Queue()
        self._count = 0
        self._thread = threading.Thread(target=self._run, name="kiosk-voice", daemon=True)
        self._thread.start()

    def speak(self, text: str, locale: str, then: Callable[[Path | None], None]) -> None:
        self._jobs.put((text, locale, then))

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put(_STOP)
        self._thread.join(timeout)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is _STOP:
                return
            text, locale, then = item  # type: ignore[misc]
            path = self._synthesise(text, locale) if self.available else None
            self._post(lambda p=path, cb=then: cb(p))

    def _synthesise(self, text: str, locale: str) -> Path | None:
        self._count += 1
        wav = self._folder / f"say-{self._count}.wav"
        try:
            subprocess.run(
                espeak_command(locale, wav, self._program or "espeak-ng"),
                input=sayable(text).encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT_SECONDS,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("espeak-ng failed (%s): nothing said", type(exc).__name__)  # never the text
            return None
        return wav if wav.is_file() and wav.stat().st_size > 44 else None
