"""What the kiosk can say or sound, and the file each comes from.

A cue is the tone heard at once: ACCEPTED (a tap or scan taken, a thing done) or REFUSED ("not now").
A phrase is a fixed voice prompt made ahead of time for each language (scripts/make_voice.py, from the
`voice.<phrase>` sentences of the catalogues). Phrases with a child's given name in them are spoken at
run time instead (kiosk.ui.audio.speech).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TONES = ASSETS / "sounds"
VOICE = ASSETS / "voice"
VOICE_FORMAT = "wav"  # loads in a millisecond; an Ogg file took up to 60 ms of the UI thread to decode

# espeak-ng's voice per locale. Debian 12's (and Raspberry Pi OS's) espeak-ng 1.51 reads Chinese
# characters with its "cmn" voice as pinyin spelled in English sounds ("qian" as "kai-an"); the
# "cmn-latn-pinyin" voice reads the same characters as Mandarin syllables with their tones.
VOICES = {"zh_CN": "cmn-latn-pinyin", "en": "en-us"}
SPEED_WPM = 150  # a little slower than espeak's 175: first-graders listen
PITCH = 60  # 0-99; a little brighter than the default 50


class Cue(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Phrase(StrEnum):
    """Fixed prompts; the words are `voice.<value>` in each catalogue."""

    SIGNED_IN = "signed_in"
    SIGNED_OUT = "signed_out"
    BIRTHDAY = "birthday"
    CHOOSE = "choose"
    ASK_TEACHER = "ask_teacher"
    BORROWED = "borrowed"
    RETURNED = "returned"
    CALL_NOW = "call_now"
    CALL_ENDED = "call_ended"
    YOUR_TURN = "your_turn"
    WAIT_TURN = "wait_turn"


# Refusals whose sentence sends the child to a teacher ("……，请找管理员老师。"): the voice says it
# too, for a child who cannot read the sentence. tests/test_sound_words.py keeps this in step with
# the catalogue.
ASK_TEACHER_CODES = frozenset(
    {
        "unknown_child",
        "child_inactive",
        "callee_not_allowed",
        "not_in_catalogue",
        "not_the_borrower",
    }
)


def tone_file(cue: Cue) -> Path:
    return TONES / f"{cue.value}.wav"


def phrase_file(phrase: Phrase, locale: str) -> Path:
    return VOICE / locale / f"{phrase.value}.{VOICE_FORMAT}"
