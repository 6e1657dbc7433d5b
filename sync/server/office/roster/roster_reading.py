"""A roster file read into its sheets, columns and rows, before anything is checked or kept.

Every sheet with a roster table in it counts (one sheet per class is common; the class is then the
sheet's name, or the title over its table); sheets without one (填写说明, 汇总) are named as left
aside. Each column is what the office recognises it as, what this school said it is the last time
(remembered choices), a column never kept (ID numbers, addresses …), one the office does not use
(序号, 备注 …), or unknown — to be asked about in the preview.

Nothing that could be an ID number leaves this module: a cell holding one (a 学籍号 is "G" and the ID
number) becomes its keyed hash and what the office shows of it; an ID number inside other text is
blanked out. Only the cells of columns the import reads, or may read once the clerk has said what
they are, are kept; the others (ID numbers, addresses, 备注 …) are dropped here. So what is staged
for the preview can be kept for an hour without keeping an ID number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sync.server.core.student_numbers import StudentKey, holds_id_number, shown
from sync.server.office.roster.class_names import find_class
from sync.server.office.roster.roster_columns import ROSTER
from sync.server.office.sheets.sheet_columns import clean_heading
from sync.server.office.sheets.sheet_grids import SheetFileError, read_grids
from sync.server.office.sheets.sheet_headings import find_table

UNKNOWN_CELL_CHARS = 64  # an unknown column's cells are kept only this long, for the mapping step
_ID_INSIDE_TEXT = re.compile(r"(?<![0-9])(\d{17}[\dXx]|\d{15})(?![0-9])")

# What a column is: kinds, in the order a heading is tried.
FIELD, CHOSEN, NEVER, NOT_USED, UNKNOWN = "field", "chosen", "never", "not_used", "unknown"


@dataclass
class RosterColumn:
    position: int
    heading: str
    kind: str
    field: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"position": self.position, "heading": self.heading, "kind": self.kind, "field": self.field}


@dataclass
class RosterSheet:
    title: str
    class_name: str | None  # named by the sheet's name or its title, for rows without a 班级 column
    columns: list[RosterColumn]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # line, cells by position


@dataclass
class RosterFile:
    sheets: list[RosterSheet]
    left_aside: list[str]  # sheets with no roster table in them


def read_roster(filename: str, content: bytes, key: StudentKey, choices: Mapping[str, str]) -> RosterFile:
    """`choices`: the school's remembered answers, cleaned heading -> field ("" = not imported)."""
    grids = read_grids(filename, content)
    sheets, left_aside = [], []
    for grid in grids:
        table = find_table(grid, ROSTER.is_anchor, lambda h: ROSTER.column_for(h) is not None)
        if table is None:
            if grid.title:
                left_aside.append(grid.title)
            continue
        columns = [
            _column(position, heading, choices) for position, heading in sorted(table.headings.items())
        ]
        named = find_class(grid.title) or next((found for t in table.above if (found := find_class(t))), None)
        sheet = RosterSheet(grid.title, named.text if named else None, columns)
        kept = {c.position: c for c in columns if c.field is not None or c.kind == UNKNOWN}
        for line, cells in table.rows:
            values = {
                str(position): _scrubbed(cells[position], key, kept[position])
                for position in kept
                if position < len(cells) and cells[position] not in (None, "")
            }
            if values:
                sheet.rows.append((line, values))
        sheets.append(sheet)
    if not sheets:
        raise SheetFileError("no_heading")
    return RosterFile(sheets, left_aside)


def _column(position: int, heading: str, choices: Mapping[str, str]) -> RosterColumn:
    column = ROSTER.column_for(heading)
    if column is not None:
        return RosterColumn(position, heading, FIELD, column.field)
    if ROSTER.is_never_stored(heading):
        return RosterColumn(position, heading, NEVER)
    chosen = choices.get(clean_heading(heading))
    if chosen is not None:
        return RosterColumn(position, heading, CHOSEN, chosen or None)
    if ROSTER.is_not_used(heading):
        return RosterColumn(position, heading, NOT_USED)
    return RosterColumn(position, heading, UNKNOWN)


def _scrubbed(value: Any, key: StudentKey, column: RosterColumn) -> Any:
    """A cell as the staging row may keep it (JSON): dates as ISO text, an ID-bearing number as its
    hash and what the office shows, an ID number inside text blanked, unknown columns cut short."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if holds_id_number(text):
            return {"digest": key.digest(text), "shown": shown(text)}
        return value
    if not isinstance(value, str):
        return str(value)
    if holds_id_number(value):
        return {"digest": key.digest(value), "shown": shown(value)}
    value = _ID_INSIDE_TEXT.sub(lambda m: "*" * len(m.group(0)), value)
    if column.kind == UNKNOWN:
        value = value[:UNKNOWN_CELL_CHARS]
    return value
