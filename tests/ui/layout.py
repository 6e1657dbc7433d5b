"""Walk what is on screen and list what a child would call broken: small buttons, cut or spilt text,
boxes, pictures squeezed out, markup shown as text.

- every Button at least 48×48 px (the issue's floor; our design size is 56);
- no Label whose text is wider or taller than its box, or whose lines were dropped to fit; "…"
  shortening only in a cell of an administrator's table that holds a record (never its hint);
- no label outside its parent's box (a band or a wrapped text pushing a neighbour off its place),
  except in a scrolling list, where the list clips;
- a picture tile's picture big enough to be read and clear of its caption;
- every character drawn by a font that has it: the default font, or the fallback a `[font=…]` run
  names (a missing glyph renders as a box: tofu); and no "&bl;" or "[b]" left on screen by markup
  escaped twice or not at all, nor a catalogue key where a sentence is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui import fonts
from kiosk.ui.fitting import FitsBox
from kiosk.ui.widgets import CellText, PictureTile, TableRow, px
from tests.support.fontconfig import font_charset
from tests.ui.driver import plain

MIN_TOUCH = 48
MIN_PICTURE = 28  # design pixels: a picture smaller than this is not read at arm's length
SLACK = 1.0
RUN = re.compile(r"\[font=([^\]]+)\](.*?)\[/font\]", re.S)
LEAKED = ("&bl;", "&br;", "&amp;", "[/b]", "[/size]", "[/color]", "[/font]")
CATALOGUE_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")  # settings.tab_sound: a sentence missing


@cache
def fallback_files() -> dict[str, Path]:
    return {name: Path(file) for name, file in fonts.RARE_CHARACTER_FONTS}


def visible(widget: Widget) -> bool:
    node: Widget | None = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent
    return True


def inside(widget: Widget, kind: type | tuple[type, ...]) -> bool:
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, kind):
            return True
        node = node.parent
    return False


def rendered(label: Label) -> str:
    core = label._label
    return "".join(word.text for line in getattr(core, "_cached_lines", []) for word in line.words)


def missing_glyphs(text: str, primary: Path) -> str:
    """Characters of `text` (markup) that the font drawing them lacks."""
    missing: set[str] = set()
    for name, run in RUN.findall(text):
        file = fallback_files().get(name)
        charset = font_charset(file) if file else frozenset()
        missing.update(ch for ch in plain(run) if not ch.isspace() and ord(ch) not in charset)
    rest = plain(RUN.sub("", text))
    missing.update(ch for ch in rest if not ch.isspace() and ord(ch) not in font_charset(primary))
    return "".join(sorted(missing))


def window_box(widget: Widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def outside_parent(widget: Widget) -> bool:
    parent = widget.parent
    if parent is None or parent is parent.parent or not isinstance(parent, Widget):
        return False
    if parent.width <= 0 or parent.height <= 0 or inside(widget, (ScrollView, RecycleView)):
        return False
    x0, y0, x1, y1 = window_box(widget)
    p0, q0, p1, q1 = window_box(parent)
    return x0 < p0 - SLACK or y0 < q0 - SLACK or x1 > p1 + SLACK or y1 > q1 + SLACK


def problems(widgets: Iterable[Widget], font: Path) -> list[str]:
    found: list[str] = []
    for w in widgets:
        if not visible(w):
            continue
        name = f"{type(w).__name__}({plain(getattr(w, 'text', ''))[:24]!r})"
        if isinstance(w, Button) and (w.width < MIN_TOUCH or w.height < MIN_TOUCH):
            found.append(f"{name} is {w.width:.0f}×{w.height:.0f}, under {MIN_TOUCH}×{MIN_TOUCH}")
        if isinstance(w, PictureTile):
            found += picture_problems(w, name)
        if not isinstance(w, Label) or not w.text.strip():
            continue
        if not isinstance(w, FitsBox):  # a fitting label fitted itself at the last frame
            w.texture_update()
        tw, th = w.texture_size
        if tw > w.width + SLACK or th > w.height + SLACK:
            found.append(f"{name} text {tw:.0f}×{th:.0f} overflows its box {w.width:.0f}×{w.height:.0f}")
        if outside_parent(w):
            found.append(f"{name} at {window_box(w)} lies outside its parent {window_box(w.parent)}")
        text = plain(w.text)
        shortened = getattr(w._label, "is_shortened", False)
        a_record = isinstance(w, CellText) and isinstance(w.parent, TableRow) and len(w.parent.cells) > 1
        if shortened and not a_record:
            found.append(f"{name} is shortened with … in a {w.width:.0f} px box")
        shown = rendered(w)
        if not shortened and len("".join(shown.split())) < len("".join(text.split())):
            found.append(f"{name} lost lines: only {shown!r} fits in {w.width:.0f}×{w.height:.0f}")
        if any(CATALOGUE_KEY.fullmatch(line.strip()) for line in text.splitlines()):
            found.append(f"{name} shows a catalogue key, not words: the sentence is missing")
        leaked = [piece for piece in LEAKED if piece in shown and piece not in text]  # not typed so
        if leaked:
            found.append(f"{name} shows markup as text: {leaked}")
        missing = missing_glyphs(w.text, font)
        if missing:
            found.append(f"{name} has characters its font lacks (tofu): {missing!r}")
    return found


def picture_problems(tile: PictureTile, name: str) -> list[str]:
    found = []
    if tile.picture_side < px(MIN_PICTURE):
        found.append(f"{name}'s picture is {tile.picture_side:.0f} px, under {px(MIN_PICTURE):.0f}")
    if not tile.beside and tile.text and tile.picture_pos[1] < tile.y + tile.texture_size[1] - SLACK:
        found.append(f"{name}'s picture is drawn over its caption")
    return found
