#!/usr/bin/env python3
"""Make the kiosk's pictures (kiosk/ui/assets/pictures/*.png) from OpenMoji, and note where they came from.

    python3 scripts/make_pictures.py                     # fetches openmoji@VERSION with `npm pack`
    python3 scripts/make_pictures.py --package DIR       # or an unpacked npm package (its package/ folder)

Needs `npm` (only without --package) and `rsvg-convert` (Debian: librsvg2-bin) on the machine that
refreshes the pictures; the kiosk itself only reads the PNGs. OpenMoji (https://openmoji.org) is
CC BY-SA 4.0: its licence is copied beside the pictures and SOURCES.md names every emoji used. A few
pictures are two or more OpenMoji emoji set side by side (grandparents, go stones, checkers' marbles):
those are adaptations under the same licence, and SOURCES.md says so.

Only the pictures listed in PICTURES are kept: a PNG not listed is removed, so the folder holds
exactly what the kiosk shows (tests/test_pictures.py checks the app uses every one).
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

VERSION = "17.0.0"
SIZE = 160  # pixels: the biggest tile picture at 1280×800 is about 110 px, so this stays sharp
CANVAS = 72  # OpenMoji's viewBox
TARGET = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "assets" / "pictures"


@dataclass(frozen=True)
class Part:
    """One emoji on the picture's 72×72 canvas, scaled and moved (a plain picture is one Part)."""

    hexcode: str
    scale: float = 1.0
    x: float = 0.0
    y: float = 0.0


def one(hexcode: str) -> tuple[Part, ...]:
    return (Part(hexcode),)


# name -> the emoji it is drawn from. Names are what kiosk/ui/pictures.py asks for.
PICTURES: dict[str, tuple[Part, ...]] = {
    # equipment, by what a child calls it
    "basketball": one("1F3C0"),
    "football": one("26BD"),
    "volleyball": one("1F3D0"),
    "table_tennis": one("1F3D3"),
    "badminton": one("1F3F8"),
    "tennis": one("1F3BE"),
    "baseball": one("26BE"),
    "rugby": one("1F3C9"),
    "skipping_rope": one("1FAA2"),  # a rope (knot): 跳绳, 跳皮筋, 拔河绳
    "shuttlecock": one("1FAB6"),  # a feather: 毽子 is feathers on a weight
    "kite": one("1FA81"),
    "frisbee": one("1F94F"),
    "skates": one("1F6FC"),
    "xiangqi": one("265F"),  # 象棋: a chess piece
    "chess": one("265E"),  # 国际象棋: the knight
    "junqi": one("1FA96"),  # 军棋: a soldier's helmet
    "go": (Part("26AB", 0.62, 2, 20), Part("26AA", 0.62, 25, 6)),  # 围棋, 五子棋: a black and a white stone
    "checkers": (  # 跳棋: marbles of three colours
        Part("1F534", 0.52, 17, 1),
        Part("1F7E2", 0.52, -1, 34),
        Part("1F535", 0.52, 35, 34),
    ),
    "flying_chess": one("2708"),  # 飞行棋
    "dice": one("1F3B2"),  # any other board game
    "jigsaw": one("1F9E9"),
    "blocks": one("1F9F1"),
    "music": one("1F3B5"),
    "crayon": one("1F58D"),
    "medal": one("1F3C5"),  # any other sports equipment
    "open_book": one("1F4D6"),
    "newspaper": one("1F4F0"),
    "package": one("1F4E6"),  # anything else the room lends
    # who a child calls
    "father": one("1F468"),
    "mother": one("1F469"),
    "grandparents": (Part("1F474", 0.84, -10, 12), Part("1F475", 0.84, 21, 12)),
    "guardian": one("1F9D1-200D-1F91D-200D-1F9D1"),  # 临时监护人: someone who holds your hand
    "relative": one("1F46A"),
    # why
    "home": one("1F3E0"),  # 想家了
    "schoolwork": one("1F4DD"),
    "health": one("1F912"),
    "birthday": one("1F382"),
    "festival": one("1F3EE"),  # a red lantern
    "talk": one("1F4AC"),  # 其他
    # the main choices and answers
    "telephone": one("260E"),
    "video": one("1F4F9"),
    "books": one("1F4DA"),
    "play": one("26F9"),  # 借器材: someone playing ball
    "incoming": one("1F4F2"),  # 家里打来电话了
    "television": one("1F4FA"),
    "letter": one("2709"),
    "wave": one("1F44B"),  # 签退: goodbye
    "check": one("2705"),  # 签到成功, 完好
    "bandage": one("1FA79"),  # 损坏
    "question": one("2753"),  # 丢失
    "teacher": one("1F9D1-200D-1F3EB"),  # 请找老师
    "ticket": one("1F3AB"),  # a place in the phone queue
    "hourglass": one("23F3"),
}


def fetch(work: Path) -> Path:
    """`npm pack` the pinned OpenMoji release into `work` and unpack it; return its package folder."""
    subprocess.run(["npm", "pack", f"openmoji@{VERSION}", "--silent"], cwd=work, check=True)
    with tarfile.open(work / f"openmoji-{VERSION}.tgz") as tar:
        tar.extractall(work, filter="data")
    return work / "package"


def composed_svg(package: Path, parts: tuple[Part, ...]) -> bytes:
    """The parts as one SVG: each emoji's own SVG nested as an image, scaled and moved."""
    images = []
    for part in parts:
        source = (package / "color" / "svg" / f"{part.hexcode}.svg").read_bytes()
        data = base64.b64encode(source).decode()
        side = CANVAS * part.scale
        images.append(
            f'<image x="{part.x}" y="{part.y}" width="{side}" height="{side}" '
            f'href="data:image/svg+xml;base64,{data}"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}" '
        f'width="{CANVAS}" height="{CANVAS}">{"".join(images)}</svg>'
    ).encode()


def render(svg: bytes, target: Path) -> None:
    subprocess.run(
        [
            "rsvg-convert",
            "--width",
            str(SIZE),
            "--height",
            str(SIZE),
            "--keep-aspect-ratio",
            "-o",
            str(target),
        ],
        input=svg,
        check=True,
    )


def sources_text(package: Path) -> str:
    data = {e["hexcode"]: e for e in json.loads((package / "data" / "openmoji.json").read_text())}
    lines = [
        "# Where the kiosk's pictures come from",
        "",
        f"Every picture here is from [OpenMoji](https://openmoji.org) {VERSION} (npm package `openmoji`),",
        "the open-source emoji and icon project of HfG Schwäbisch Gmünd, licensed under [CC BY-SA",
        "4.0](https://creativecommons.org/licenses/by-sa/4.0/) (the licence is `LICENSE.txt` here).",
        f"The SVGs were rendered to PNG at {SIZE}×{SIZE} px; pictures made of several emoji are adaptations",
        "(the emoji set side by side on one canvas) and are shared under the same licence.",
        "",
        "Refresh or add one: edit `PICTURES` in `scripts/make_pictures.py` and run it (needs `npm` and",
        "`rsvg-convert` from Debian's `librsvg2-bin`).",
        "",
        "| file | OpenMoji emoji (hexcode, name, author) |",
        "| --- | --- |",
    ]
    for name, parts in sorted(PICTURES.items()):
        used = "; ".join(
            f"{p.hexcode} {data[p.hexcode]['annotation']} ({data[p.hexcode]['openmoji_author']})"
            for p in parts
        )
        if len(parts) > 1:
            used = "composed of: " + used
        lines.append(f"| `{name}.png` | {used} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, help="an unpacked openmoji npm package (its package/ folder)")
    args = parser.parse_args()
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert is missing: apt-get install librsvg2-bin", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        package = args.package or fetch(Path(folder))
        TARGET.mkdir(parents=True, exist_ok=True)
        for name, parts in PICTURES.items():
            render(composed_svg(package, parts), TARGET / f"{name}.png")
        for stale in TARGET.glob("*.png"):
            if stale.stem not in PICTURES:
                stale.unlink()
        shutil.copyfile(package / "LICENSE.txt", TARGET / "LICENSE.txt")
        (TARGET / "SOURCES.md").write_text(sources_text(package), encoding="utf-8")
    print(f"{len(PICTURES)} pictures in {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
