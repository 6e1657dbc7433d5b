"""Window key events → what the keyboard-wedge decoder is fed (kiosk.ui.keys), as Kivy's SDL2 window
reports them under X (the events below were recorded from xdotool typing into a Kivy window)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.wedge import WedgeDecoder
from kiosk.ui.display import missing_display
from kiosk.ui.keys import ENTER, wedge_key

SHIFT_DOWN = (304, chr(304), ["shift"])  # Shift itself, with a printable codepoint ("İ")


def decode(events: list[tuple[int, str | None, list[str]]]):
    decoder, result = WedgeDecoder(), None
    for n, event in enumerate(events):
        key = wedge_key(*event)
        if key is not None:
            result = decoder.feed(key, n * 0.005)
    return result


def test_capitals_typed_with_shift_are_one_card_number() -> None:
    events = []
    for char in "DB828663":
        if char.isalpha():
            events += [SHIFT_DOWN, (ord(char.lower()), char.lower(), ["shift"])]
        else:
            events.append((ord(char), char, []))
    assert decode([*events, (13, None, [])]).uid == "DB828663"


@pytest.mark.parametrize(
    ("event", "fed"),
    [
        ((116, "t", ["capslock", "shift"]), "T"),  # Shift+T with Caps Lock on
        ((116, "t", ["capslock"]), "T"),  # a scanner that minds Caps Lock sends plain t
        ((116, "t", []), "t"),
        ((257, chr(257), ["numlock"]), "1"),  # number-pad 1
        ((256, chr(256), []), "0"),  # number-pad 0 with Num Lock off: still a digit to a scanner
        ((271, None, []), ENTER),  # number-pad Enter
        ((301, chr(301), ["capslock"]), None),  # Caps Lock itself types nothing
        ((300, chr(300), ["numlock"]), None),
        ((273, chr(273), []), "key273"),  # an arrow key breaks a code
    ],
)
def test_each_kind_of_key(event: tuple[int, str | None, list[str]], fed: str | None) -> None:
    assert wedge_key(*event) == fed


def test_no_screen_is_reported_only_where_nothing_can_draw(tmp_path: Path) -> None:
    assert missing_display({}, "linux", tmp_path / "no-dri") is not None
    assert missing_display({"DISPLAY": ":0"}, "linux", tmp_path) is None
    assert missing_display({"SDL_VIDEODRIVER": "kmsdrm"}, "linux", tmp_path) is None
    (tmp_path / "card0").touch()  # the Pi's own screen, no desktop: SDL draws through KMS/DRM
    assert missing_display({}, "linux", tmp_path) is None
    assert missing_display({}, "win32", tmp_path / "no-dri") is None
