"""Walk what is on screen and list what a child would call broken: small buttons, clipped text, boxes.

- every Button at least 48×48 px (the issue's floor; our design size is 56);
- no Label whose text is wider or taller than its box, or whose lines were dropped to fit;
  "…" shortening is allowed only in the administrator's table cells;
- every character on screen is in the CJK font (a missing glyph renders as a box: tofu).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.ui.widgets import TableRow
from tests.ui.driver import plain

MIN_TOUCH = 48
SLACK = 1.0


@cache
def font_charset(font: Path) -> frozenset[int]:
    out = subprocess.run(
        ["fc-query", "-f", "%{charset}\n", str(font)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    codes: set[int] = set()
    for part in out.split():
        first, _, last = part.partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(codes)


def visible(widget: Widget) -> bool:
    node: Widget | None = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent
    return True


def inside_table(widget: Widget) -> bool:
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, TableRow):
            return True
        node = node.parent
    return False


def rendered(label: Label) -> str:
    core = label._label
    return "".join(word.text for line in getattr(core, "_cached_lines", []) for word in line.words)


def problems(widgets: Iterable[Widget], font: Path) -> list[str]:
    charset = font_charset(font)
    found: list[str] = []
    for w in widgets:
        if not visible(w):
            continue
        name = f"{type(w).__name__}({plain(getattr(w, 'text', ''))[:24]!r})"
        if isinstance(w, Button) and (w.width < MIN_TOUCH or w.height < MIN_TOUCH):
            found.append(f"{name} is {w.width:.0f}×{w.height:.0f}, under {MIN_TOUCH}×{MIN_TOUCH}")
        if not isinstance(w, Label) or not w.text.strip():
            continue
        w.texture_update()
        tw, th = w.texture_size
        if tw > w.width + SLACK or th > w.height + SLACK:
            found.append(f"{name} text {tw:.0f}×{th:.0f} overflows its box {w.width:.0f}×{w.height:.0f}")
        text = plain(w.text)
        shortened = getattr(w._label, "is_shortened", False)
        if shortened and not inside_table(w):
            found.append(f"{name} is shortened with … in a {w.width:.0f} px box")
        if not shortened and len("".join(rendered(w).split())) < len("".join(text.split())):
            found.append(f"{name} lost lines: only {rendered(w)!r} fits in {w.width:.0f}×{w.height:.0f}")
        missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in charset})
        if missing:
            found.append(f"{name} has characters the font lacks (tofu): {''.join(missing)!r}")
    return found
