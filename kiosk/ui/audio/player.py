"""Plays the kiosk's tones and voice prompts through Kivy's SDL2 audio, one after another.

A tone plays at once and clears whatever was still to be said: a new tap is a new moment, and the
previous child's "签到成功" must not talk over the next child's refusal. Voice prompts queue behind the
tone and each other, so "ding-ding" is followed by "签到成功" and never drowned by it.

Everything runs on the UI thread (Kivy's Sound objects belong to it) and nothing here may stall a
frame, since a scanner may be typing through it: playing returns at once (SDL_mixer mixes on its own
audio thread), the prompts are WAV files that load in about a millisecond (Ogg files took 3-60 ms to
decode on a busy machine), loaded one a frame, and the synthesis of a sentence with a name runs in
kiosk.ui.audio.speech. A kiosk with no sound device keeps working: nothing loads, nothing plays, and
the log says so once.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kivy.clock import Clock, ClockEvent
from kivy.core.audio import Sound, SoundLoader

from kiosk.ui.audio.cues import Cue, Phrase, phrase_file, tone_file
from kiosk.ui.audio.loudness import Loudness
from kiosk.ui.audio.speech import Speaker

log = logging.getLogger(__name__)
GAP_SECONDS = 0.08  # between a tone and the words after it
SAME_CUE_SECONDS = 0.4  # one tap showing two "done" messages is one chime, not two
HISTORY = 50


@dataclass(frozen=True, slots=True)
class Played:
    """What the player started, for the administrator's log and the tests: a tone or phrase by name,
    a spoken sentence as "speech" (never its words: they hold a child's name)."""

    what: str
    at: float  # time.monotonic()
    volume: float


@dataclass(frozen=True, slots=True)
class _Clip:
    path: Path
    what: str
    throwaway: bool  # a synthesised sentence: loaded once, then its file removed


class SoundPlayer:
    def __init__(self, locale: str, loudness_now: Callable[[], Loudness], speaker: Speaker | None) -> None:
        self.locale = locale
        self._loudness_now = loudness_now
        self._speaker = speaker
        self._cache: dict[Path, Sound | None] = {}
        self._waiting: deque[_Clip] = deque()
        self._voice: Sound | None = None  # the voice clip playing now, stopped by a new tone
        self._next: ClockEvent | None = None
        self._busy_until = 0.0
        self._last_cue: tuple[Cue, float] | None = None
        self._said_unavailable = False
        self.history: deque[Played] = deque(maxlen=HISTORY)

    # -- what screens ask for ---------------------------------------------------------------------
    def cue(self, cue: Cue) -> None:
        """The tone, now; anything still queued to be said is dropped."""
        now = time.monotonic()
        if (
            self._last_cue is not None
            and self._last_cue[0] is cue
            and now - self._last_cue[1] < SAME_CUE_SECONDS
        ):
            return
        self._last_cue = (cue, now)
        self._drop_waiting()
        loudness = self._loudness_now()
        sound = self._play(tone_file(cue), cue.value, loudness.tones)
        self._busy_until = now + (sound.length if sound is not None else 0) + GAP_SECONDS

    def say(self, phrase: Phrase) -> None:
        """A fixed prompt, after whatever is playing."""
        self._enqueue(_Clip(phrase_file(phrase, self.locale), phrase.value, throwaway=False))

    def say_text(self, text: str) -> None:
        """A sentence made now (a queue call with the child's given name), after whatever is playing.
        The words are spoken on the speaker's thread; this returns at once."""
        if self._speaker is None or self._loudness_now().voice == 0:
            return
        self._speaker.speak(text, self.locale, self._spoken)

    def stop(self) -> None:
        self._drop_waiting()
        for sound in self._cache.values():
            if sound is not None:
                sound.unload()
        self._cache.clear()

    # -- the queue --------------------------------------------------------------------------------
    def _spoken(self, path: Path | None) -> None:
        if path is not None:
            self._enqueue(_Clip(path, "speech", throwaway=True))

    def _enqueue(self, clip: _Clip) -> None:
        self._waiting.append(clip)
        self._advance()

    def _advance(self) -> None:
        self._next = None
        now = time.monotonic()
        if not self._waiting:
            return
        if now < self._busy_until:
            self._next = Clock.schedule_once(lambda _dt: self._advance(), self._busy_until - now)
            return
        clip = self._waiting.popleft()
        volume = self._loudness_now().voice
        sound = self._play(clip.path, clip.what, volume, keep=not clip.throwaway) if volume > 0 else None
        if clip.throwaway:
            clip.path.unlink(missing_ok=True)
        self._voice = sound
        self._busy_until = now + (sound.length if sound is not None else 0) + GAP_SECONDS
        if self._waiting:
            self._next = Clock.schedule_once(lambda _dt: self._advance(), self._busy_until - now)

    def _drop_waiting(self) -> None:
        for clip in self._waiting:
            if clip.throwaway:
                clip.path.unlink(missing_ok=True)
        self._waiting.clear()
        if self._next is not None:
            self._next.cancel()
            self._next = None
        if self._voice is not None and self._voice.state == "play":
            self._voice.stop()
        self._voice = None

    # -- Kivy -------------------------------------------------------------------------------------
    def _play(self, path: Path, what: str, volume: float, keep: bool = True) -> Sound | None:
        if volume <= 0:
            return None
        sound = self._load(path, keep)
        if sound is None:
            return None
        sound.volume = volume
        sound.play()
        self.history.append(Played(what, time.monotonic(), volume))
        if not keep:
            # SDL_mixer holds the decoded samples; the clip is freed once it has played
            Clock.schedule_once(lambda _dt: sound.unload(), sound.length + 1)
        return sound

    def _load(self, path: Path, keep: bool) -> Sound | None:
        if keep and path in self._cache:
            return self._cache[path]
        sound = SoundLoader.load(str(path)) if path.is_file() else None
        if sound is None and not self._said_unavailable:
            self._said_unavailable = True
            log.warning(
                "no sound: %s could not be loaded (no audio device, or the file is missing)", path.name
            )
        if keep:
            self._cache[path] = sound
        return sound

    def preload(self) -> None:
        """Load the tones and this language's prompts, one a frame, so the first tap is not late."""
        paths = [tone_file(cue) for cue in Cue] + [phrase_file(phrase, self.locale) for phrase in Phrase]

        def next_one(_dt: float = 0) -> None:
            while paths and paths[0] in self._cache:
                paths.pop(0)
            if paths:
                self._load(paths.pop(0), keep=True)
                Clock.schedule_once(next_one, 0)

        next_one()
