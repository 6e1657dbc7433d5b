"""A CJK font registered as Kivy's default, found at start-up, or a loud failure.

Kivy's bundled Roboto has no Chinese: a screen of 请刷卡 would be a row of boxes. Kivy's SDL2 text
provider opens the *first* face of a .ttc, so the order below matters: WenQuanYi Micro Hei's first face
is Simplified Chinese; Debian's Noto Sans CJK .ttc starts with the Japanese face (骨 and 直 get Japanese
shapes), so Noto is used only as a single-face SC file (.otf), never as a .ttc.

No everyday font has every character of every child's name: WenQuanYi lacks CJK Extension A (䶮)
and B (𠈌). Those go, character by character, to fallback fonts (kiosk.ui.markup): Debian's
`fonts-hanazono` (花園明朝 A covers Extension A and the common part of B, B the rest). Without them the
kiosk still starts, and the log says which names may show a box.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.ui.glyphs import NotAFont, coverage
from kiosk.ui.markup import Fallback, use_fonts

log = logging.getLogger(__name__)

CANDIDATES: Sequence[str] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
)
ENV_OVERRIDE = "KIOSK_FONT"
# (name for Kivy's [font=…] markup, file), tried in this order for a character the default lacks.
RARE_CHARACTER_FONTS: Sequence[tuple[str, str]] = (
    ("KioskRareA", "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"),
    ("KioskRareB", "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
)


class FontNotFound(RuntimeError):
    def __init__(self, tried: Iterable[str]) -> None:
        listed = "\n  ".join(tried)
        super().__init__(
            "No Chinese font found, so the kiosk would show boxes instead of 汉字. Tried:\n  "
            f"{listed}\nInstall one (Debian: apt-get install fonts-wqy-microhei) "
            f"or set {ENV_OVERRIDE}=/path/to/a/SimplifiedChinese.ttf"
        )


def find_cjk_font(candidates: Sequence[str] = CANDIDATES, env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    tried = ([env[ENV_OVERRIDE]] if env.get(ENV_OVERRIDE) else []) + list(candidates)
    for name in tried:
        path = Path(name)
        if path.is_file():
            return path
    raise FontNotFound(tried)


def register_default_font(path: Path, rare: Sequence[tuple[str, str]] = RARE_CHARACTER_FONTS) -> None:
    """Make every Label (all Kivy widgets default to "Roboto") use the CJK font, and register the
    fallbacks for the characters it lacks."""
    from kivy.core.text import LabelBase  # noqa: PLC0415 - Kivy only after kiosk.ui.env.prepare()

    font = str(path)
    LabelBase.register("Roboto", fn_regular=font, fn_bold=font, fn_italic=font, fn_bolditalic=font)
    fallbacks = []
    for name, file in rare:
        try:
            fallbacks.append(Fallback(name, coverage(Path(file))))
        except (OSError, NotAFont):
            continue
        LabelBase.register(name, fn_regular=file, fn_bold=file, fn_italic=file, fn_bolditalic=file)
    if not fallbacks:
        log.warning("no font for rare name characters (𠈌, 䶮): apt-get install fonts-hanazono")
    try:
        use_fonts(coverage(path), fallbacks)
    except (OSError, NotAFont):
        log.warning("cannot read which characters %s has: rare characters stay in it", path.name)
