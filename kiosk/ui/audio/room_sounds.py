"""The kiosk's sound as the app wires it: one object the screens ask to chime or speak.

It owns the player and the speaker, knows the room's volume and quiet hours (from the settings the
app last read) and the local time, and turns the two central moments into sound: a message band
showing a result (done → the chime; not now or a problem → the soft refusal sound) and a service's
refusal that sends a child to a teacher (the voice says 请找老师).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kivy.clock import Clock

from kiosk.services import signin
from kiosk.services.room_settings import RoomSettings
from kiosk.ui.audio.cues import ASK_TEACHER_CODES, Cue, Phrase
from kiosk.ui.audio.loudness import Loudness, loudness
from kiosk.ui.audio.player import SoundPlayer
from kiosk.ui.audio.speech import Post, Speaker
from kiosk.ui.widgets import use_feedback

if TYPE_CHECKING:
    from kiosk.ui.controller import KioskController

MIDDAY = time(12, 0)  # before the database answers there is no clock to read; no quiet hours apply
PRELOAD_AFTER_SECONDS = 0.5  # once the first screen is up


class RoomSounds:
    def __init__(self, locale: str, now: Callable[[], datetime | None], post: Post | None) -> None:
        self.settings = RoomSettings()  # until the database answers: the defaults
        self._now = now
        self._speaker = Speaker(post) if post is not None else None
        self.player = SoundPlayer(locale, self.loudness_now, self._speaker)
        self._loaded = False

    @classmethod
    def wired(cls, locale: str, ctrl: KioskController, post: Post) -> RoomSounds:
        """The app's sounds: every band that shows a result and every service refusal is heard."""

        def now() -> datetime | None:
            try:
                return ctrl.now()
            except RuntimeError:  # the database is not open yet
                return None

        sounds = cls(locale, now, post)
        ctrl.on_any_refusal = lambda refused: sounds.refusal(refused.code)
        use_feedback(sounds.band)
        return sounds

    @property
    def locale(self) -> str:
        return self.player.locale

    @locale.setter
    def locale(self, locale: str) -> None:
        self.player.locale = locale
        self.player.preload()

    def use(self, settings: RoomSettings) -> None:
        """The room's rules as read; the first read means the database is open: time to load."""
        self.settings = settings
        if not self._loaded:
            self._loaded = True
            Clock.schedule_once(lambda _dt: self.player.preload(), PRELOAD_AFTER_SECONDS)

    def loudness_now(self) -> Loudness:
        s = self.settings
        now = self._now()
        if now is None:
            return loudness(s.sound_volume, s.voice_prompts, None, MIDDAY)
        local = now.astimezone(ZoneInfo(s.timezone)).time()
        quiet = (s.quiet_hours.start, s.quiet_hours.end) if s.quiet_hours else None
        return loudness(s.sound_volume, s.voice_prompts, quiet, local)

    # -- the central moments ---------------------------------------------------------------------
    def band(self, tone: str) -> None:
        """A message band showed a result (kiosk.ui.widgets.use_feedback)."""
        if tone == "good":
            self.player.cue(Cue.ACCEPTED)
        elif tone in ("warn", "bad"):
            self.player.cue(Cue.REFUSED)

    def refusal(self, code: str) -> None:
        """A service refused (kiosk.ui.controller.KioskController.on_any_refusal)."""
        if code in ASK_TEACHER_CODES:  # the band that shows it sounds "not now" too: one sound, deduplicated
            self.player.cue(Cue.REFUSED)
            self.player.say(Phrase.ASK_TEACHER)

    def tapped(self, result: signin.TapResult) -> None:
        """A card tap's answer: the chime and 签到成功 / 签退成功 for a child, the chime for a teacher's
        card, "not now" and 请找老师 for a card the kiosk cannot use."""
        match result:
            case signin.SignedIn() | signin.StillSignedIn():
                self.player.cue(Cue.ACCEPTED)
                self.player.say(Phrase.SIGNED_IN)
            case signin.SignedOut():
                self.player.cue(Cue.ACCEPTED)
                self.player.say(Phrase.SIGNED_OUT)
            case signin.StaffCardTapped() | signin.AskSignOut() | signin.BackToCall():
                self.player.cue(Cue.ACCEPTED)  # her screen asks (要签退吗？) or her call comes back
            case _:  # its band's own "not now" follows within a moment: one sound, not two
                self.player.cue(Cue.REFUSED)
                self.player.say(Phrase.ASK_TEACHER)

    # -- what screens ask for --------------------------------------------------------------------
    def cue(self, cue: Cue) -> None:
        self.player.cue(cue)

    def say(self, phrase: Phrase) -> None:
        self.player.say(phrase)

    def ask_for_teacher(self) -> None:
        """Something went wrong that a child cannot mend (an error the band shows in red)."""
        self.player.say(Phrase.ASK_TEACHER)

    def say_text(self, text: str) -> None:
        self.player.say_text(text)

    def preload(self) -> None:
        self.player.preload()

    def stop(self) -> None:
        use_feedback(lambda _tone: None)
        self.player.stop()
        if self._speaker is not None:
            self._speaker.stop()
