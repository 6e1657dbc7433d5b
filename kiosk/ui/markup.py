"""Stored text into Kivy markup, safely: escaped, and with rare characters in a font that has them.

Every label on the kiosk reads Kivy markup (`[b]`, `[size=…]`, `[color=…]`). A title such as
《[b]小王子》 or "Tom & Jerry]" put into markup as it is would be read as tags: lines break, words
vanish. So text that comes from the database, the roster or a scanner goes through `escape` on its
way to the screen, and only our own catalogue sentences and tags stay markup. `Markup` marks text
that is already safe, so escaping twice changes nothing (as MarkupSafe does for HTML).

The same pass handles rare characters. Kivy draws a run of text in one font; WenQuanYi has no glyph
for 𠈌 (CJK Extension B) or 䶮 (Extension A), common enough in rural names. `escape` puts each such
character in a `[font=…]` run of the first fallback font that draws it (kiosk.ui.fonts registers
them at start-up, e.g. Hanazono Mincho A and B), so 王𠈌 is greeted by name, not with a box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.ui.glyphs import Coverage

ESCAPES = (("&", "&amp;"), ("[", "&bl;"), ("]", "&br;"))
# Below this every font we use has every character (Latin, punctuation, kana, the common symbols).
FIRST_RARE_CANDIDATE = 0x2E80


class Markup(str):
    """Text that is already valid, safe Kivy markup: our own sentences, or what `escape` made.

    Joining keeps it safe, as MarkupSafe does for HTML: `Markup + str`, `str + Markup`, `join` and
    `format` escape the plain parts and keep the markup ones. (An f-string cannot: it always makes a
    plain str, which a label then escapes whole; build markup with `format`, `bold` or `sized`.)"""

    __slots__ = ()

    def __add__(self, other: object) -> Markup:
        if not isinstance(other, str):
            return NotImplemented
        return Markup(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> Markup:
        if not isinstance(other, str):
            return NotImplemented
        return Markup(str.__add__(escape(other), self))

    def join(self, parts: Iterable[object]) -> Markup:  # type: ignore[override]
        return Markup(str.join(self, (escape(part) for part in parts)))

    def format(self, *args: object, **kwargs: object) -> Markup:
        return Markup(
            str.format(
                self,
                *(escape(a) if isinstance(a, str) else a for a in args),
                **escaped(kwargs),
            )
        )


@dataclass(frozen=True)
class Fallback:
    """A registered font name (for `[font=…]`) and the characters its file draws."""

    name: str
    coverage: Coverage


@dataclass
class GlyphRouting:
    """The default font's coverage and the fallbacks, in the order they are tried."""

    primary: Coverage | None = None
    fallbacks: list[Fallback] = field(default_factory=list)

    def font_for(self, char: str) -> str | None:
        """The fallback font's name for a character the default font lacks, or None (no run)."""
        if ord(char) < FIRST_RARE_CANDIDATE or self.primary is None or char in self.primary:
            return None
        return next((f.name for f in self.fallbacks if char in f.coverage), None)


_routing = GlyphRouting()


def use_fonts(primary: Coverage, fallbacks: Sequence[Fallback]) -> None:
    """Set once at start-up (kiosk.ui.fonts), after the fonts are registered with Kivy."""
    global _routing
    _routing = GlyphRouting(primary, list(fallbacks))


def routing() -> GlyphRouting:
    return _routing


def escape(text: object) -> Markup:
    """`text` as markup that shows exactly those characters, rare ones in a font that has them."""
    if isinstance(text, Markup):
        return text
    plain = str(text)
    for raw, entity in ESCAPES:
        plain = plain.replace(raw, entity)
    return Markup(_route_glyphs(plain))


def _route_glyphs(text: str) -> str:
    if all(ord(ch) < FIRST_RARE_CANDIDATE for ch in text):
        return text  # the usual case, and cheap
    out: list[str] = []
    current: str | None = None
    for ch in text:
        font = _routing.font_for(ch)
        if font != current:
            if current is not None:
                out.append("[/font]")
            if font is not None:
                out.append(f"[font={font}]")
            current = font
        out.append(ch)
    if current is not None:
        out.append("[/font]")
    return "".join(out)


def bold(text: object) -> Markup:
    return Markup("[b]{}[/b]").format(text)


def sized(text: object, size: float) -> Markup:
    return Markup(f"[size={int(size)}]{{}}[/size]").format(text)


def coloured(text: object, rgb_hex: str) -> Markup:
    return Markup(f"[color={rgb_hex}]{{}}[/color]").format(text)


def escaped(params: Mapping[str, Any]) -> dict[str, Any]:
    """A catalogue sentence's parameters made safe for its markup: stored text escaped, numbers as
    they are, markup (a bold name, a nested sentence) kept. The sentence itself is ours."""
    return {key: escape(value) if isinstance(value, str) else value for key, value in params.items()}
