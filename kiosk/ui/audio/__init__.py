"""Sound for children who cannot read yet: a chime when a tap or scan is taken, a soft "not now", and
short Mandarin (or English) voice prompts.

- `cues`: what can be heard (the two tones, the fixed phrases) and where its file is;
- `loudness`: how loud, from the room's volume setting and its quiet hours (no Kivy);
- `speech`: phrases with a name in them ("请 3 号 子航 来打电话"), spoken by espeak-ng on a thread of
  its own, never on the UI thread;
- `player`: plays all of it through Kivy's SDL2 audio, one after another, so tests capture it with
  SDL's disk audio driver.

The tones are arithmetic (scripts/make_tones.py); the fixed phrases are files espeak-ng made
(scripts/make_voice.py records how); nothing is fetched at run time.
"""
