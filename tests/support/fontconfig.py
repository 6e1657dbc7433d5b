"""What fontconfig says a font file covers (`fc-query`'s charset): the tests' second opinion on the
glyph maps the kiosk reads itself, and what the layout check holds each label's characters against."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path


@cache
def font_charset(font: Path) -> frozenset[int]:
    """The code points of the font's first face (a .ttc collection's first)."""
    out = subprocess.run(
        ["fc-query", "-f", "%{charset}\n", str(font)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    codes: set[int] = set()
    for part in out.split():
        first, _, last = part.partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(codes)
