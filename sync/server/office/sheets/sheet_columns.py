"""The columns of a spreadsheet the office imports, as schools head them.

Schools keep their lists (a class's 花名册, the room's book register) as spreadsheets with their own
headings; each field lists the headings seen for it, the first being what the office's own template
and export use. A `ColumnSet` is one kind of file: its fields, the headings recognised only to be
dropped (personal data the room must not keep; columns it does not use), and the field whose heading
marks the heading row. The roster (roster_columns) and the catalogue (catalogue_columns) each define
one; the reading (sheet_grids, sheet_headings, sheet_files) and the writing (sheet_export) are shared.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SheetColumn:
    field: str
    headings: tuple[str, ...]

    @property
    def heading(self) -> str:
        return self.headings[0]


def clean_heading(heading: object) -> str:
    """A heading as compared: full-width folded (NFKC), spaces and line breaks, a leading * and a
    trailing colon dropped, lower case — "＊姓 名：" and "姓名" are one heading."""
    text = "" if heading is None else unicodedata.normalize("NFKC", str(heading))
    return "".join(text.split()).strip("*：:").lower()


@dataclass(frozen=True)
class ColumnSet:
    columns: tuple[SheetColumn, ...]
    anchor: str  # the field whose heading marks the heading row (a title row may come first)
    never_stored: tuple[str, ...] = ()
    never_stored_parts: tuple[str, ...] = ()  # fragments that mark a heading as never stored (身份证)
    not_used: tuple[str, ...] = ()  # headings known and dropped without asking (序号, 备注)
    _by_heading: dict[str, SheetColumn] = field(init=False, repr=False, compare=False)
    _never: frozenset[str] = field(init=False, repr=False, compare=False)
    _not_used: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_heading: dict[str, SheetColumn] = {}
        for column in self.columns:
            for heading in column.headings:
                by_heading.setdefault(clean_heading(heading), column)
        object.__setattr__(self, "_by_heading", by_heading)
        object.__setattr__(self, "_never", frozenset(clean_heading(h) for h in self.never_stored))
        object.__setattr__(self, "_not_used", frozenset(clean_heading(h) for h in self.not_used))

    def column_for(self, heading: object) -> SheetColumn | None:
        return self._by_heading.get(clean_heading(heading))

    def is_never_stored(self, heading: object) -> bool:
        cleaned = clean_heading(heading)
        return cleaned in self._never or any(part in cleaned for part in self.never_stored_parts)

    def is_not_used(self, heading: object) -> bool:
        return clean_heading(heading) in self._not_used

    def is_anchor(self, heading: object) -> bool:
        column = self.column_for(heading)
        return column is not None and column.field == self.anchor

    def headings(self, fields: tuple[str, ...] | None = None) -> list[str]:
        """The office's own headings, in column order (of `fields` only, when given)."""
        return [c.heading for c in self.columns if fields is None or c.field in fields]
