#!/usr/bin/env python3
"""Make the kiosk's fixed voice prompts (kiosk/ui/assets/voice/<locale>/<phrase>.ogg) with espeak-ng.

    .venv/bin/python scripts/make_voice.py

The words are the catalogues' `voice.<phrase>` sentences (zh-CN and English); each is spoken by
espeak-ng with the voice, speed and pitch the kiosk uses at run time (kiosk.ui.audio.cues) and
encoded as Ogg Vorbis by oggenc:

    espeak-ng -v cmn-latn-pinyin -s 150 -p 60 --stdout --stdin < words | oggenc -Q -q 4 -o out.ogg -

Needs `espeak-ng` and `oggenc` (Debian: espeak-ng, vorbis-tools) on the machine that makes them; the
kiosk only plays the files. espeak-ng's voices are GPL-3 software; what it speaks is ours. The file
`made.json` beside the prompts records each file's words and the command, and tests/test_sound_words.py
fails when a catalogue sentence changes without the prompt being made again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.platform.words import CATALOGUES, translate  # noqa: E402 - the repository first
from kiosk.ui.audio.cues import PITCH, SPEED_WPM, VOICE, VOICE_FORMAT, VOICES, Phrase, phrase_file  # noqa: E402

QUALITY = "4"  # oggenc -q: about 64 kbit/s for speech, far above what espeak-ng's 22 kHz voice needs


def espeak_args(locale: str) -> list[str]:
    return ["espeak-ng", "-v", VOICES[locale], "-s", str(SPEED_WPM), "-p", str(PITCH), "--stdout", "--stdin"]


def oggenc_args(target: Path) -> list[str]:
    return ["oggenc", "-Q", "-q", QUALITY, "-o", str(target), "-"]


def make(locale: str, phrase: Phrase) -> dict[str, str]:
    words = translate(f"voice.{phrase.value}", locale)
    target = phrase_file(phrase, locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    speech = subprocess.run(espeak_args(locale), input=words.encode("utf-8"), capture_output=True, check=True)
    subprocess.run(oggenc_args(target), input=speech.stdout, check=True)
    return {"file": str(target.relative_to(VOICE)), "locale": locale, "words": words}


def main() -> int:
    missing = [tool for tool in ("espeak-ng", "oggenc") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {' '.join(missing)} (apt-get install espeak-ng vorbis-tools)", file=sys.stderr)
        return 1
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    version = version.split("Data at")[0].strip()  # not the machine's folders
    made = [make(locale, phrase) for locale in CATALOGUES for phrase in Phrase]
    for stale in VOICE.rglob(f"*.{VOICE_FORMAT}"):
        if str(stale.relative_to(VOICE)) not in {m["file"] for m in made}:
            stale.unlink()
    record = {
        "made_by": "scripts/make_voice.py",
        "espeak_ng": version.strip(),
        "commands": {
            locale: " ".join(espeak_args(locale)) + " < words | " + " ".join(oggenc_args(Path("FILE")))
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
