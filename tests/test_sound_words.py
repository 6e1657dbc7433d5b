"""The voice prompts say what the catalogues say, in both languages, and the refusals that send a
child to a teacher say so aloud too."""

from __future__ import annotations

import json

from kiosk.platform.words import CATALOGUES
from kiosk.ui.audio.cues import ASK_TEACHER_CODES, VOICE, Cue, Phrase, phrase_file, tone_file


def test_every_prompt_is_made_in_both_languages_from_the_catalogue_words() -> None:
    made = json.loads((VOICE / "made.json").read_text(encoding="utf-8"))
    words = {(p["locale"], p["file"]): p["words"] for p in made["prompts"]}
    for locale, catalogue in CATALOGUES.items():
        for phrase in Phrase:
            path = phrase_file(phrase, locale)
            assert path.is_file() and path.stat().st_size > 2000, path
            recorded = words[(locale, str(path.relative_to(VOICE)))]
            assert recorded == catalogue[f"voice.{phrase.value}"], (
                f"{path.name} ({locale}) says {recorded!r}, the catalogue now says "
                f"{catalogue[f'voice.{phrase.value}']!r}: run scripts/make_voice.py"
            )
    assert "espeak-ng" in made["commands"]["zh_CN"] and "cmn-latn-pinyin" in made["commands"]["zh_CN"]


def test_the_queue_call_names_the_number_and_the_child() -> None:
    for catalogue in CATALOGUES.values():
        assert "{ticket}" in catalogue["voice.queue_call"] and "{name}" in catalogue["voice.queue_call"]


def test_the_two_tones_are_there() -> None:
    assert all(tone_file(cue).is_file() for cue in Cue)


def test_refusals_that_send_a_child_to_a_teacher_say_it_aloud() -> None:
    zh = CATALOGUES["zh_CN"]
    written = {
        key.removeprefix("refusal.")
        for key, text in zh.items()
        if key.startswith("refusal.") and ("请找管理员老师" in text or "请找老师" in text)
    }
    assert written == ASK_TEACHER_CODES
