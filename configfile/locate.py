"""The line each table and key of a TOML file starts on, so a problem can say "kiosk.toml:7".

tomllib gives values, not positions. This reads the text line by line the way a person does: table
headers (`[kiosk]`, `[[readers.serial]]`, the n-th of which is index n-1), then `key =` and dotted
`a.b =` keys inside them. Multi-line strings and arrays are skipped over, not parsed; the file has
already been parsed by tomllib, so only well-formed TOML arrives here.
"""

from __future__ import annotations

import re

from configfile.problems import KeyPath

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_STRING = re.compile(rf'"""|\'\'\'|{_QUOTED}')


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(
        part.strip()[1:-1] if part.strip()[:1] in "\"'" else part.strip()
        for part in re.findall(rf"{_KEY_PART}", dotted)
    )


def _open_brackets(value: str) -> int:
    """How many [ or { a value leaves open (strings and comments removed first)."""
    value = _STRING.sub("", value).split("#", 1)[0]
    return value.count("[") + value.count("{") - value.count("]") - value.count("}")


def key_lines(text: str) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    array_counts: dict[KeyPath, int] = {}
    open_string: str | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string is not None:
            if open_string in line:
                open_string = None
            continue
        if depth > 0:
            depth += _open_brackets(line)
            continue
        if header := _HEADER.match(line):
            path = _parts(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(path, -1) + 1
                array_counts[path] = index
                lines.setdefault(path, number)
                table = (*path, index)
            else:
                table = path
            lines[table] = number
            continue
        if key := _KEY.match(line):
            lines.setdefault((*table, *_parts(key.group(1))), number)
            value = key.group(2)
            for quote in ('"""', "'''"):
                if value.count(quote) % 2 == 1:
                    open_string = quote
            if open_string is None:
                depth = _open_brackets(value)
    return lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, or of the nearest table or key above it (inline tables, missing keys)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
