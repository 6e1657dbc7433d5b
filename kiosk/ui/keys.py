"""What one window key event typed, as the keyboard-wedge decoder wants it (`hardware.wedge`).

Card readers and barcode scanners that act as a USB keyboard reach the kiosk as Kivy key-down events,
and Kivy's SDL2 window reports them in ways that break a naive "take the codepoint" reading:

- Shift is a key of its own: before every upper-case letter comes a key-down for Shift (keycode 304)
  whose codepoint is a *printable* character (``chr(304)``, "İ"). Fed to the decoder it lands in the
  code and ``DB828663`` never matches. Shift, Ctrl, Alt, Caps Lock, Num Lock … type nothing: skipped.
- The letter itself comes unshifted ("t" for the scanner's Shift+T) with "shift" in the modifiers; with
  Caps Lock on, a scanner's Shift+T still arrives as "t" with "shift" and "capslock". Labels and UIDs
  are printed in capitals, so either modifier gives the capital back (a keyboard cannot tell us the
  case the scanner meant when Caps Lock inverts it; upper case is what the room's labels use).
- Number-pad digits come as keycodes 256-265 with codepoints ``chr(256)``… ("Ā"), not "0"…"9".
- A shifted symbol comes unshifted too (";" for the scanner's ":"). Scanners type as a US keyboard, so
  with Shift held the US layout's shifted symbol is meant: the office's enrolment QR code needs ":",
  "?" and "&".

Pure: no Kivy import, so the rules are tested without a window (and through a real one under Xvfb).
"""

from __future__ import annotations

from collections.abc import Iterable

ENTER = "enter"
ENTER_KEYCODES = frozenset({13, 271})  # Return, keypad Enter
# Num Lock 300, Caps Lock 301, Scroll Lock 302, right/left Shift 303/304, Ctrl 305/306, Alt 307/308,
# Super/Meta 309-313 (Kivy's numbering of SDL's modifier keys).
MODIFIER_KEYCODES = frozenset(range(300, 314))
NUMPAD = {256 + digit: str(digit) for digit in range(10)} | {
    266: ".",
    267: "/",
    268: "*",
    269: "-",
    270: "+",
}
UPPER_CASE_MODIFIERS = frozenset({"shift", "capslock"})
US_SHIFTED = dict(zip("1234567890-=[]\\;',./`", '!@#$%^&*()_+{}|:"<>?~', strict=True))


def wedge_key(keycode: int, codepoint: str | None, modifiers: Iterable[str] | None) -> str | None:
    """The decoder's input for one key-down: a character, ``"enter"``, a named key that breaks a code
    (arrows, function keys), or None for a key that types nothing and must not break one (Shift)."""
    if keycode in ENTER_KEYCODES:
        return ENTER
    if keycode in MODIFIER_KEYCODES:
        return None
    if keycode in NUMPAD:
        return NUMPAD[keycode]
    if keycode >= 256 or not codepoint or len(codepoint) != 1 or not codepoint.isprintable():
        return f"key{keycode}"  # not one character: the decoder treats it as a named key
    held = set(modifiers or ())
    if "shift" in held and codepoint in US_SHIFTED:
        return US_SHIFTED[codepoint]
    if UPPER_CASE_MODIFIERS & held:
        return codepoint.upper()
    return codepoint


class KeyArrival:
    """When a key reached the window, as near as the UI loop can tell, for the wedge decoder's timing.

    The loop looks at the keyboard once a frame and hands over every key that came meanwhile. When a
    frame takes long (a new screen being built, both cores busy), a scanner's keys wait and arrive
    together, after a gap the scanner never made. A key handled in the very next look after the key
    before it may have come right after that one: it is stamped with the earlier key's time (no gap),
    so the loop's own stalls never split a code. A key after at least one look that found nothing
    keeps its own time. `new_frame` is called once per frame (a Clock interval of 0)."""

    def __init__(self) -> None:
        self._frame = 0
        self._previous: tuple[int, float] | None = None

    def new_frame(self) -> None:
        self._frame += 1

    def stamp(self, handled_at: float) -> float:
        previous = self._previous
        at = previous[1] if previous is not None and self._frame - previous[0] <= 1 else handled_at
        self._previous = (self._frame, at)
        return at
