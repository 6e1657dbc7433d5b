"""Photos as a phone's camera writes them, for the care tests: a real JPEG of a few megapixels with
EXIF — the GPS position of the home (degrees, minutes, seconds), the phone's make and model, the
time, the orientation — and the reading of a stored JPEG's segments, to look for what must be gone."""

from __future__ import annotations

import io
import random

from PIL import ExifTags, Image, ImageDraw

PHONE_MAKE = "HUAWEI"
PHONE_MODEL = "ELE-AL00 CareTestCam"
LATITUDE = ((26, 1), (34, 1), (1250, 100))  # 26°34'12.50" N: a village in Guizhou
LONGITUDE = ((107, 1), (31, 1), (825, 100))


def phone_photo(width: int = 3000, height: int = 2000, seed: int = 7, rotated: bool = True) -> bytes:
    """A landscape scene (sky, fields, a house) with a camera's EXIF; `rotated`: stored sideways with
    Orientation=6, as phones held upright write it."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (135, 180, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.55, width, height), fill=(90, 140, 60))
    draw.polygon(
        [(width * 0.3, height * 0.55), (width * 0.45, height * 0.3), (width * 0.6, height * 0.55)],
        fill=(150, 60, 40),
    )
    draw.rectangle((width * 0.33, height * 0.55, width * 0.57, height * 0.8), fill=(220, 210, 190))
    for _ in range(400):  # texture, so the JPEG is not trivially small
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse(
            (x, y, x + 12, y + 12), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256))
        )
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = PHONE_MAKE
    exif[ExifTags.Base.Model] = PHONE_MODEL
    exif[ExifTags.Base.DateTime] = "2026:11:20 16:30:00"
    exif[ExifTags.Base.Software] = "EMUI 12 CareTest"
    if rotated:
        exif[ExifTags.Base.Orientation] = 6
        image = image.transpose(Image.Transpose.ROTATE_90)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: tuple(a / b for a, b in LATITUDE),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: tuple(a / b for a, b in LONGITUDE),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def camera_photo(seed: int = 11) -> bytes:
    """A photo as big as a phone's camera writes it: 4000×3000 with the camera's EXIF (phone_photo)
    and its sensor's grain, which makes the JPEG 3-4 MB — two of them are more than one request may
    carry, as a teacher's pick from the gallery is."""
    scene = Image.open(io.BytesIO(phone_photo(4000, 3000, seed=seed)))
    grain = Image.effect_noise(scene.size, 40).convert("RGB")
    out = io.BytesIO()
    Image.blend(scene.convert("RGB"), grain, 0.15).save(out, "JPEG", quality=92, exif=scene.info["exif"])
    return out.getvalue()


def segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """The JPEG's marker segments before the image data: (marker, payload)."""
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    found, at = [], 2
    while at < len(jpeg):
        assert jpeg[at] == 0xFF
        marker = jpeg[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows
            break
        length = int.from_bytes(jpeg[at + 2 : at + 4], "big")
        found.append((marker, jpeg[at + 4 : at + 2 + length]))
        at += 2 + length
    return found


def assert_no_camera_data(jpeg: bytes) -> None:
    """No EXIF (APP1), no XMP, no comment, and none of the camera's words anywhere in the bytes."""
    markers = [marker for marker, _ in segments(jpeg)]
    assert 0xE1 not in markers, "an APP1 (EXIF/XMP) segment is still there"
    assert 0xFE not in markers, "a comment segment is still there"
    for needle in (
        b"Exif\x00\x00",
        PHONE_MAKE.encode(),
        PHONE_MODEL.encode(),
        b"EMUI",
        b"2026:11:20",
        b"GPS",
    ):
        assert needle not in jpeg, needle
    picture = Image.open(io.BytesIO(jpeg))
    assert not picture.getexif(), dict(picture.getexif())
