"""Pictures for children who read pictures first: a picture tile (a picture over, or beside, a short
caption) and a picture alone. The pictures themselves are kiosk.ui.pictures' choice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from kiosk.ui import theme
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.scale import px

Builder.load_string(
    """
<PictureTile>:
    canvas:
        Clear
        Color:
            rgba: 1, 1, 1, 1
        Rectangle:
            texture: self.picture_texture
            pos: self.picture_pos
            size: self.picture_side, self.picture_side
        Rectangle:
            texture: self.texture
            size: self.texture_size
            pos: self.text_pos

<Picture>:
    canvas:
        Color:
            rgba: 1, 1, 1, 1
        Rectangle:
            texture: self.texture
            pos: self.center_x - self.side / 2, self.center_y - self.side / 2
            size: self.side, self.side
"""
)


_pictures: dict[Path, Texture] = {}


def picture_texture(path: Path) -> Texture:
    """A picture's texture, loaded once: a child's menu is rebuilt at every tap."""
    texture = _pictures.get(path)
    if texture is None:
        texture = _pictures[path] = CoreImage(str(path), mipmap=True).texture
    return texture


class Picture(Widget):
    """A picture alone, as large as its box allows, centred (the check beside a greeting)."""

    texture = ObjectProperty(None, allownone=True)
    side = NumericProperty(0)

    def __init__(self, picture: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(size=lambda *_: setattr(self, "side", min(self.width, self.height)))
        self.show(picture)

    def show(self, picture: Path | None) -> None:
        self.shown: Path | None = picture  # which one is up: a test can tell a question from a yes
        self.texture = picture_texture(picture) if picture is not None else None
        self.opacity = 1 if picture is not None else 0


class PictureTile(KButton):
    """A picture and a short caption: children read the picture first. `beside` False: the picture
    over the caption (menu tiles); True: the picture left of it (a low button). The caption takes the
    room its words need (wrapped, shrunk if it must), the picture the rest, as large as fits."""

    picture_texture = ObjectProperty(None, allownone=True)
    picture_pos = ListProperty([0, 0])
    picture_side = NumericProperty(0)
    text_pos = ListProperty([0, 0])
    caption_share = NumericProperty(0.5)  # of the height (above) or the width (beside) at most

    def __init__(self, picture: Path, beside: bool = False, **kwargs: Any) -> None:
        self.beside = beside
        kwargs.setdefault("valign", "middle" if beside else "bottom")
        super().__init__(**kwargs)
        self.picture_texture = picture_texture(picture)
        self.bind(pos=self._place, size=self._place, texture_size=self._place)

    def text_box(self) -> tuple[float, float]:
        if self.beside:
            return float(self.width - self.height), float(self.height)
        return float(self.width), float(self.height) * self.caption_share

    def _place(self, *_: Any) -> None:
        pad = self.pad
        tw, th = self.texture_size
        if self.beside:
            side = max(0.0, self.height - 2 * pad)
            self.picture_side = side
            self.picture_pos = [self.x + pad, self.y + pad]
            self.text_pos = [int(self.x + self.height), int(self.center_y - th / 2)]
            return
        words = th if self.text else 0  # the texture is as tall as the caption's lines
        room = self.height - words - 2 * pad
        side = max(0.0, min(self.width - 2 * pad, room))
        self.picture_side = side
        self.picture_pos = [self.center_x - side / 2, self.y + words + pad + (room - side) / 2]
        self.text_pos = [int(self.center_x - tw / 2), int(self.y)]


def tile(
    picture: Path | None,
    caption: str,
    fill: theme.RGBA,
    on_press: Callable[[], None],
    caption_size: float = theme.FONT_BIG,
    beside: bool = False,
    **kwargs: Any,
) -> KButton:
    """A picture tile (or, without a picture, a big button with the caption alone)."""
    if picture is None:
        button = KButton(text=caption, fill=list(fill), font_size=px(caption_size), **kwargs)
    else:
        button = PictureTile(
            picture, beside, text=caption, fill=list(fill), font_size=px(caption_size), **kwargs
        )
    button.bind(on_release=lambda *_: on_press())
    return button
