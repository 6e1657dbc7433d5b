"""What is wrong with a setting, and where: a key path such as ("readers", "serial", 1, "baud")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]


def dotted(path: KeyPath) -> str:
    """readers.serial[1].baud, as a person would write it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    path: KeyPath
    message: str

    def under(self, prefix: KeyPath) -> Problem:
        return Problem(prefix + self.path, self.message)

    def __str__(self) -> str:
        return f"{dotted(self.path)}: {self.message}" if self.path else self.message


class SettingError(ValueError):
    """One or more problems in a table of settings (a ValueError, so callers that only want to refuse
    bad settings need not know this type)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def under(self, prefix: KeyPath) -> SettingError:
        return SettingError(p.under(prefix) for p in self.problems)
