"""A TOML settings file as a person saved it: the encoding found out, the parse error placed.

Windows Notepad saves UTF-8 with a byte-order mark, and a Chinese Windows editor may save GBK: the
first is read (the mark is dropped), the second is refused with its name and the fix, instead of a
UnicodeDecodeError from deep inside the kiosk.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configfile.locate import key_lines, line_of
from configfile.problems import KeyPath, Problem, dotted

BOM = b"\xef\xbb\xbf"


class FileProblem(ValueError):
    """The file cannot be read at all; the message names the file (and the line when known)."""


@dataclass(frozen=True)
class TomlFile:
    path: Path
    data: dict[str, Any]
    lines: dict[KeyPath, int]

    def where(self, path: KeyPath) -> str:
        """`/etc/kiosk.toml:7` for a key path (the file alone when the line is not known)."""
        line = line_of(self.lines, path)
        return f"{self.path}:{line}" if line else str(self.path)

    def describe(self, problem: Problem) -> str:
        """One line: file, line, key as the file spells it, what is wrong."""
        return f"{self.where(problem.path)}: {self.spelt(problem.path)}: {problem.message}"

    def explain(self, problems: Iterable[Problem]) -> str:
        """Every problem, one line each, in the order of the file."""
        ordered = sorted(problems, key=lambda p: line_of(self.lines, p.path) or 0)
        return "\n".join(self.describe(p) for p in ordered)

    def spelt(self, path: KeyPath) -> str:
        """`[kiosk] fullscreen`, `[[readers.serial]] #2 baud`, `[sycn]`: what a person sees in the file."""
        if not path:
            return str(self.path.name)
        if len(path) == 1:
            return f"[{path[0]}]" if isinstance(self.data.get(str(path[0])), dict) else str(path[0])
        table, key = path[:-1], path[-1]
        if isinstance(table[-1], int):
            return f"[[{dotted(table[:-1])}]] #{table[-1] + 1} {key}"
        if isinstance(key, int):
            return f"[[{dotted(table)}]] #{key + 1}"
        return f"[{dotted(table)}] {key}"


def read_toml(path: Path) -> TomlFile:
    raw = path.read_bytes()
    text = _decode(path, raw[len(BOM) :] if raw.startswith(BOM) else raw)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        where = f"{path}:{found.group(1)}" if found else str(path)
        raise FileProblem(f"{where}: not valid TOML: {reason}") from exc
    return TomlFile(path, data, key_lines(text))


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise FileProblem(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from exc
        raise FileProblem(
            f"{path}:{line}: saved as GBK (a Chinese Windows encoding), not UTF-8; open it in an editor "
            "and save it again as UTF-8"
        ) from exc
