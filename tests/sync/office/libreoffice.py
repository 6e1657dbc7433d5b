"""Opening exports in a real spreadsheet program, as a school does: LibreOffice headless (Debian's
libreoffice-calc-nogui) converts files to PDF — what the clerk would print — and poppler-utils reads
the PDF back (pdftotext for its words, pdfinfo for its paper, pdftoppm for a picture of a page).

Every conversion runs in one soffice call with a private profile folder, so tests never share or
leave behind a LibreOffice user profile, and starting LibreOffice is paid once per batch.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")
# LibreOffice's CSV import: comma, double quote, UTF-8 (76), from line 1, standard column types. Without
# it a headless LibreOffice reads a CSV as Latin-1 whatever its byte-order mark says.
CSV_UTF8 = "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false"
A4_POINTS = (595.0, 842.0)


def need_libreoffice() -> None:
    if SOFFICE is None or not POPPLER:
        pytest.skip("LibreOffice and poppler-utils are not installed (make test installs them)")


def to_pdf(files: list[Path], folder: Path, *, csv: bool = False) -> dict[Path, Path]:
    """Each file converted to PDF in `folder` by one LibreOffice run; file stems must be distinct.
    `csv`: the files are CSV in UTF-8 (LibreOffice takes one import filter per run)."""
    need_libreoffice()
    assert len({f.stem for f in files}) == len(files), "LibreOffice names each PDF after its file's stem"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            *([f"--infilter={CSV_UTF8}"] if csv else []),
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ]
        environment = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)
    pdfs = {f: folder / f"{f.stem}.pdf" for f in files}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return pdfs


def text_of(pdf: Path, *, layout: bool = True) -> str:
    """The PDF's words (pdftotext); with `layout` the columns keep their places on a line."""
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points (A4 is 595 × 842, landscape 842 × 595)."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def is_a4(size: tuple[float, float]) -> bool:
    short, long = sorted(size)
    return abs(short - A4_POINTS[0]) < 3 and abs(long - A4_POINTS[1]) < 3


def first_page_png(pdf: Path, png: Path, resolution: int = 80) -> Path:
    """The first page as a PNG, to look at."""
    png.parent.mkdir(parents=True, exist_ok=True)
    prefix = png.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(resolution), "-png", "-singlefile", str(pdf), prefix],
        check=True,
        timeout=120,
    )
    return png
