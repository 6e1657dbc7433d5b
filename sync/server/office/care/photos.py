"""Photos from a phone's camera as the school keeps them: decoded, turned upright, made at most
1600 px on the long edge and encoded again as a plain JPEG, so nothing of the original file stays —
no EXIF (the GPS position of a child's home, the phone's make and model, the time), no XMP, no
comments, no thumbnails. Activity news photos also get a band with the school's and the activity's
name drawn on them: 「图片有学校及活动名称」 (003:L39).

A file that is not a picture, or a picture too large to decode safely, is refused with a reason.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from sync.server.office.fields import FieldProblem

LONG_EDGE = 1600
QUALITY = 82
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a phone's full-size photo is 2-8 MB
MAX_PIXELS = 64_000_000  # a 48-megapixel phone camera's photo, with room; more is a decompression bomb
MAX_PHOTOS = 6
ACCEPTED = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: the JPEG some phones write with a depth map
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    jpeg: bytes
    width: int
    height: int


def stored_photo(raw: bytes, caption: str | None = None) -> StoredPhoto:
    if not raw:
        raise FieldProblem("photo_empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise FieldProblem("photo_too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(raw))
            if source.format not in ACCEPTED:
                raise FieldProblem("photo_not_a_picture")
            if source.width * source.height > MAX_PIXELS:
                raise FieldProblem("photo_too_large")
            upright = ImageOps.exif_transpose(source)  # the camera's rotation, before EXIF goes
            upright.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError):
        raise FieldProblem("photo_not_a_picture") from None
    picture = upright.convert("RGB")
    picture.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    # A new image holds the pixels only: nothing of the file's metadata can ride along.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    if caption:
        clean = _with_caption(clean, caption)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    return StoredPhoto(out.getvalue(), clean.width, clean.height)


def _with_caption(picture: Image.Image, caption: str) -> Image.Image:
    """The picture with a dark band under it holding the caption in white, in a CJK font."""
    font_path = cjk_font()
    if font_path is None:
        raise FieldProblem("photo_no_font")
    size = max(16, picture.width // 40)
    font = ImageFont.truetype(str(font_path), size)
    band = int(size * 2)
    framed = Image.new("RGB", (picture.width, picture.height + band), (32, 38, 46))
    framed.paste(picture, (0, 0))
    draw = ImageDraw.Draw(framed)
    text = caption
    while draw.textlength(text, font=font) > picture.width - size and len(text) > 1:
        text = text[:-2] + "…"
    draw.text((size // 2, picture.height + band // 2), text, font=font, fill=(255, 255, 255), anchor="lm")
    return framed


@cache
def cjk_font() -> Path | None:
    """A font that draws Chinese: WenQuanYi Micro Hei (the kiosk's, fonts-wqy-microhei) or any other
    fontconfig knows for zh."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
        if found and Path(found).exists():
            return Path(found)
    return None
