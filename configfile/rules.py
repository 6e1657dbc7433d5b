"""Typed checks for settings a person typed, each with the sentence that says how to fix it.

TOML already knows strings from numbers from booleans, but people write `fullscreen = "no"` (a string,
which Python would call true) or `idle_timeout_seconds = "thirty"`; a rule names what it wanted and
what it got. Python's bool is an int, so numbers refuse booleans explicitly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from configfile.problems import Problem, SettingError

Rule = Callable[[Any], Any]


class Bad(ValueError):
    """A rule's refusal: the message completes "<key>: …"."""


def shown(value: Any) -> str:
    """A value as it would appear in the TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "a table"
    return repr(value)


def whole(low: int, high: int, unit: str = "") -> Rule:
    what = f"a whole number{' of ' + unit if unit else ''} between {low} and {high}"

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Bad(f"must be {what}, not {shown(value)}")
        if not low <= value <= high:
            raise Bad(f"must be {what}, not {value}")
        return value

    return check


def number(low: float, high: float, unit: str = "") -> Rule:
    what = f"a number{' of ' + unit if unit else ''} between {low:g} and {high:g}"

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Bad(f"must be {what}, not {shown(value)}")
        if not low <= value <= high:
            raise Bad(f"must be {what}, not {value:g}")
        return float(value)

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"must be true or false (no quotes), not {shown(value)}")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad(f"must be text in quotes, not {shown(value)}")
    if not value.strip():
        raise Bad("must not be empty")
    return value


def choice(*options: str) -> Rule:
    listed = " or ".join(f'"{o}"' for o in options)

    def check(value: Any) -> str:
        if value not in options:
            raise Bad(f"must be {listed}, not {shown(value)}")
        return str(value)

    return check


def pattern(value: Any) -> str:
    value = text(value)
    try:
        re.compile(value)
    except re.error as exc:
        raise Bad(f"is not a valid pattern ({exc}): {shown(value)}") from exc
    return value


def matching(regex: str, description: str) -> Rule:
    compiled = re.compile(regex)

    def check(value: Any) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise Bad(f"must be {description}, not {shown(value)}")
        return value

    return check


def list_of(item: Rule, *, at_least: int = 0, at_most: int = 1000) -> Rule:
    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise Bad(f'must be a list in brackets, e.g. ["a", "b"], not {shown(value)}')
        if not at_least <= len(value) <= at_most:
            raise Bad(f"must list between {at_least} and {at_most} entries, not {len(value)}")
        checked = []
        for n, entry in enumerate(value, start=1):
            try:
                checked.append(item(entry))
            except Bad as exc:
                raise Bad(f"entry {n} {exc}") from exc
        return tuple(checked)

    return check


def existing_file(value: Any) -> Path:
    path = Path(text(value)).expanduser()
    if not path.is_file():
        raise Bad(f"no such file: {path}")
    return path


def web_address(value: Any) -> str:
    """http(s)://host[:port][/path]: what `requests` needs; a bare "192.168.1.10:8700" is refused."""
    value = text(value).strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise Bad(f"is not a web address ({exc}): {shown(value)}") from exc
    if parts.scheme not in ("http", "https"):
        example = '"https://192.168.1.10:8700"'
        raise Bad(f"must start with https:// (or http://), e.g. {example}, not {shown(value)}")
    if not parts.hostname:
        raise Bad(f"must name the server's machine after {parts.scheme}://, not {shown(value)}")
    return value


def check_table(
    table: Any, rules: Mapping[str, Rule], *, required: Collection[str] = (), kind: str = "setting"
) -> dict[str, Any]:
    """Each key of `table` through its rule; unknown keys are problems (with the likely key), as are
    missing required ones. Raises SettingError listing every problem; returns the checked values."""
    if not isinstance(table, Mapping):
        raise SettingError([Problem((), f"must be a table, not {shown(table)}")])
    problems, checked = [], {}
    for key, value in table.items():
        rule = rules.get(key)
        if rule is None:
            problems.append(Problem((key,), unknown(key, rules, kind)))
            continue
        try:
            checked[key] = rule(value)
        except Bad as exc:
            problems.append(Problem((key,), str(exc)))
        except SettingError as exc:  # a nested table checked by its own rules
            problems.extend(exc.under((key,)).problems)
    problems += [Problem((key,), "is required") for key in required if key not in table]
    if problems:
        raise SettingError(problems)
    return checked


def unknown(key: str, known: Collection[str], kind: str = "setting") -> str:
    """ "is not a setting here; did you mean idle_timeout_seconds?" (or the list of known ones)."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"is not a {kind} here; did you mean {close[0]}?"
    return f"is not a {kind} here; known: {', '.join(sorted(known))}"
