"""Which characters a font draws, read from the font file itself and checked against fontconfig's
own answer on the fonts the kiosk really uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.ui.glyphs import NotAFont, coverage
from tests.support.fontconfig import font_charset

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # a collection: its first face
HANAZONO_A = Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf")
HANAZONO_B = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")


@pytest.mark.parametrize("font", [WQY, HANAZONO_A, HANAZONO_B], ids=lambda p: p.name)
def test_the_map_read_agrees_with_fontconfig(font: Path) -> None:
    mine = coverage(font)
    theirs = font_charset(font)
    read = {code for start, end in zip(mine.starts, mine.ends, strict=True) for code in range(start, end + 1)}
    assert read - {0} == theirs - {0}


def test_rare_name_characters_are_missing_from_the_default_font_and_found_in_hanazono() -> None:
    assert "王" in coverage(WQY) and "刘" in coverage(WQY)
    assert "𠈌" not in coverage(WQY) and "䶮" not in coverage(WQY)  # Extension B and A
    assert "䶮" in coverage(HANAZONO_A)
    assert "𠈌" in coverage(HANAZONO_A) or "𠈌" in coverage(HANAZONO_B)
    assert "𪚥" in coverage(HANAZONO_B)  # further into Extension B


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "font.ttf"
    fake.write_bytes(b"PK\x03\x04 not a font at all" * 4)
    with pytest.raises(NotAFont):
        coverage(fake)
