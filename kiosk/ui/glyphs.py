"""Which characters a font file draws, read from its own character map (no Kivy, no fontconfig).

Kivy draws a label run in one font, and a glyph the font lacks becomes a box. Names such as 王𠈌
(CJK Extension B) and 刘䶮 (Extension A) are not in WenQuanYi, so the kiosk sends such characters to a
fallback font (kiosk.ui.markup). To know which characters need one, this reads the font's `cmap`
table: TrueType/OpenType files and the first face of a .ttc collection (the face Kivy's SDL2 text
provider opens), subtables of format 4 (the Basic Multilingual Plane) and 12 (all planes).
"""

from __future__ import annotations

import bisect
import mmap
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

Buffer = bytes | mmap.mmap


class NotAFont(ValueError):
    """The file is not a TrueType/OpenType font or collection this reader understands."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """Code point ranges a font draws, sorted and merged: `ch in coverage` is one binary search."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]  # inclusive

    def __contains__(self, char: object) -> bool:
        if not isinstance(char, str) or len(char) != 1:
            return False
        code = ord(char)
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]

    def __len__(self) -> int:
        return sum(end - start + 1 for start, end in zip(self.starts, self.ends, strict=True))


def merged(ranges: list[tuple[int, int]]) -> Coverage:
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return Coverage(tuple(r[0] for r in out), tuple(r[1] for r in out))


@cache
def coverage(path: Path) -> Coverage:
    """The characters the font at `path` (its first face, for a collection) has glyphs for.

    The file is mapped, not read: only the pages of the table directory and the map are touched (a
    30 MB Hanazono file costs a few milliseconds, even on a Raspberry Pi's SD card)."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        tables = _table_directory(data, _first_face_offset(data))
        if b"cmap" not in tables:
            raise NotAFont(f"{path}: no character map")
        return merged(_cmap_ranges(data, tables[b"cmap"]))


def _first_face_offset(data: Buffer) -> int:
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        if count < 1:
            raise NotAFont("an empty font collection")
        (offset,) = struct.unpack_from(">I", data, 12)
        return int(offset)
    if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return 0
    raise NotAFont("not a TrueType/OpenType font")


def _table_directory(data: Buffer, face: int) -> dict[bytes, int]:
    (count,) = struct.unpack_from(">H", data, face + 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, face + 12 + 16 * i)
        tables[tag] = offset
    return tables


def _cmap_ranges(data: Buffer, cmap: int) -> list[tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, cmap + offset)
        subtables[(platform, encoding, fmt)] = cmap + offset
    for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):  # full Unicode first
        if key in subtables:
            return _format12(data, subtables[key])
    for key in ((3, 1, 4), (0, 3, 4), (0, 1, 4), (0, 0, 4)):
        if key in subtables:
            return _format4(data, subtables[key])
    raise NotAFont("no Unicode character map (format 4 or 12)")


def _format12(data: Buffer, at: int) -> list[tuple[int, int]]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    ranges = []
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        if glyph == 0 and start == end:
            continue  # mapped to .notdef: a box, not a glyph
        ranges.append((start, end))
    return ranges


def _format4(data: Buffer, at: int) -> list[tuple[int, int]]:
    (seg_x2,) = struct.unpack_from(">H", data, at + 6)
    segments = seg_x2 // 2
    ends_at = at + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    offsets_at = deltas_at + seg_x2
    ranges = []
    for i in range(segments):
        (end,) = struct.unpack_from(">H", data, ends_at + 2 * i)
        (start,) = struct.unpack_from(">H", data, starts_at + 2 * i)
        (delta,) = struct.unpack_from(">h", data, deltas_at + 2 * i)
        (range_offset,) = struct.unpack_from(">H", data, offsets_at + 2 * i)
        if start == 0xFFFF:
            continue
        if range_offset == 0:
            ranges.append((start, end))  # every code in the segment maps through the delta
            continue
        for code in range(start, end + 1):  # glyph ids from the array: 0 means "no glyph"
            where = offsets_at + 2 * i + range_offset + 2 * (code - start)
            (glyph,) = struct.unpack_from(">H", data, where)
            if glyph and (glyph + delta) % 65536:
                ranges.append((code, code))
    return ranges
