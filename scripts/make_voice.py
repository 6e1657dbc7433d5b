#!/usr/bin/env python3
"""Make the kiosk's fixed voice prompts (kiosk/ui/assets/voice/<locale>/<phrase>.wav) with espeak-ng.

    .venv/bin/python scripts/make_voice.py

The words are the catalogues' `voice.<phrase>` sentences (zh-CN and English); each is spoken by
espeak-ng with the voice, speed and pitch the kiosk uses at run time (kiosk.ui.audio.cues):

    espeak-ng -v cmn-latn-pinyin -s 150 -p 60 -w out.wav --stdin < words

and the silence espeak-ng leaves before and after the words is trimmed (to TAIL seconds). The files
stay WAV (22 kHz mono): SDL loads a WAV in about a millisecond, while decoding an Ogg file took 3-60 ms
on a busy machine, holding the UI thread (and Python's lock) while a scanner might be typing.

Needs `espeak-ng` (Debian: espeak-ng) on the machine that makes them; the kiosk only plays the files.
espeak-ng is GPL-3 software; what it speaks is ours. `made.json` beside the prompts records each
file's words and the command, and tests/test_sound_words.py fails when a catalogue sentence changes
without the prompt being made again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.platform.words import CATALOGUES, translate  # noqa: E402 - the repository first
from kiosk.ui.audio.cues import PITCH, SPEED_WPM, VOICE, VOICE_FORMAT, VOICES, Phrase, phrase_file  # noqa: E402

SILENT = 200  # of 32767: below this a sample is the silence around the words
TAIL = 0.04  # seconds of silence kept before and after the words


def espeak_args(locale: str, target: Path) -> list[str]:
    voice = ["-v", VOICES[locale], "-s", str(SPEED_WPM), "-p", str(PITCH)]
    return ["espeak-ng", *voice, "-w", str(target), "--stdin"]


def trimmed(source: Path, target: Path) -> None:
    with wave.open(str(source)) as spoken:
        rate, params = spoken.getframerate(), spoken.getparams()
        samples = array("h", spoken.readframes(spoken.getnframes()))
    loud = [i for i, value in enumerate(samples) if abs(value) >= SILENT]
    keep = int(TAIL * rate)
    start, end = max(0, loud[0] - keep), min(len(samples), loud[-1] + keep)
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(samples[start:end].tobytes())


def make(locale: str, phrase: Phrase, work: Path) -> dict[str, str]:
    words = translate(f"voice.{phrase.value}", locale)
    target = phrase_file(phrase, locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = work / "spoken.wav"
    subprocess.run(espeak_args(locale, raw), input=words.encode("utf-8"), check=True)
    trimmed(raw, target)
    return {"file": str(target.relative_to(VOICE)), "locale": locale, "words": words}


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("missing: espeak-ng (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    version = version.split("Data at")[0].strip()  # not the machine's folders
    with tempfile.TemporaryDirectory() as work:
        made = [make(locale, phrase, Path(work)) for locale in CATALOGUES for phrase in Phrase]
    for stale in [*VOICE.rglob("*.ogg"), *VOICE.rglob(f"*.{VOICE_FORMAT}")]:
        if str(stale.relative_to(VOICE)) not in {m["file"] for m in made}:
            stale.unlink()
    record = {
        "made_by": "scripts/make_voice.py",
        "espeak_ng": version,
        "commands": {
            locale: " ".join(espeak_args(locale, Path("FILE"))) + f" < words; silence trimmed to {TAIL} s"
            for locale in CATALOGUES
        },
        "prompts": made,
    }
    (VOICE / "made.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{len(made)} prompts in {VOICE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
