"""Where a school's table starts: its heading row (or two), found under whatever titles come first.

Schools head their lists in many ways. A title or two ("城关镇中心小学留守儿童花名册", "学校（盖章）：…")
merged across the top; then the headings — on one row, or on two, where a group merged over
several columns (父亲 over 姓名 · 是否外出务工 · 联系电话) sits above its parts and the other headings are
merged down over both rows. A spreadsheet reader sees a merged cell's text in its first cell only and
None in the rest, so a group's text is carried to the right over the Nones of its row.

The heading row is the first row with the anchor heading (姓名 for a roster). Under it, a row whose
anchor column is empty and that has something elsewhere is a second heading row (a data row always has
a name). Above it, a row of two or more texts, fewer than the heading row's, is a group row (a title
has one text). Each column's heading is then the group and its part read together (父亲 + 联系电话 =
父亲联系电话), else the part, else the group: the first the column set recognises. A note under the
table (填表人：…, 合计) is not a child.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sync.server.office.sheets.sheet_grids import HEADING_ROWS, Grid

_NOTE_STARTS = ("填表", "制表", "审核", "合计", "总计", "小计", "注", "说明", "备注", "校长", "负责人")


@dataclass
class Headed:
    """A grid read as a table: the heading text of each column position, the rows under the headings,
    and the texts above them (titles that may name the class)."""

    headings: dict[int, str]
    rows: list[tuple[int, list[Any]]]
    above: list[str]


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _carried(row: list[Any], width: int) -> list[str]:
    """A group row with each group's text carried over the empty cells to its right."""
    found, current = [], ""
    for position in range(width):
        text = _text(row[position]) if position < len(row) else ""
        current = text or current
        found.append(current)
    return found


def find_table(
    grid: Grid, is_anchor: Callable[[str], bool], recognised: Callable[[str], bool]
) -> Headed | None:
    """The table in `grid`, or None when no heading row with the anchor is near its top."""
    rows = grid.rows
    anchor_at = next(
        (
            (index, position)
            for index, (_number, cells) in enumerate(rows[:HEADING_ROWS])
            for position, value in enumerate(cells)
            if is_anchor(_text(value))
        ),
        None,
    )
    if anchor_at is None:
        return None
    index, anchor_column = anchor_at
    number, main = rows[index]
    last = index
    choices: dict[int, list[str]] = {}
    below = rows[index + 1] if index + 1 < len(rows) else None
    upper = rows[index - 1] if index > 0 and rows[index - 1][0] == number - 1 else None
    if (
        below is not None
        and below[0] == number + 1
        and _parts_below(main, below[1], anchor_column, recognised)
    ):
        # headings on two rows: this one, and its parts under it
        width = max(len(main), len(below[1]))
        groups = _carried(main, width)
        for position in range(width):
            sub, top = _cell(below[1], position), _cell(main, position)
            if sub:
                choices[position] = [groups[position] + sub, sub, groups[position]]
            elif top:
                choices[position] = [top]
        last = index + 1
    elif upper is not None and 2 <= _count(upper[1]) < _count(main):  # groups above the headings
        width = max(len(main), len(upper[1]))
        groups = _carried(upper[1], width)
        for position in range(width):
            text, over = _cell(main, position), _cell(upper[1], position)
            if text:
                choices[position] = [groups[position] + text, text]
            elif over:
                choices[position] = [over]  # a heading merged down over both rows
    else:
        choices = {position: [_text(v)] for position, v in enumerate(main) if _text(v)}
    headings = {
        position: next((c for c in found if c and recognised(c)), found[0])
        for position, found in choices.items()
    }
    above = [" ".join(_text(v) for v in cells if _text(v)) for _n, cells in rows[:index]]
    data = [(n, cells) for n, cells in rows[last + 1 :] if not _is_note(cells)]
    return Headed(headings, data, above)


def _parts_below(
    main: list[Any], below: list[Any], anchor_column: int, recognised: Callable[[str], bool]
) -> bool:
    """Whether the row under the heading row is a second heading row: nothing under the anchor (a
    child's row has a name), only texts, one of them under a merged group (an empty heading cell),
    and one read with its group, or alone, as a heading the column set knows. A data row that lacks
    its name is still a data row."""
    if _cell(below, anchor_column) or any(v is not None and not isinstance(v, str) for v in below):
        return False
    groups = _carried(main, max(len(main), len(below)))
    parts = [(p, _cell(below, p)) for p in range(len(below)) if _cell(below, p)]
    under_group = any(not _cell(main, p) for p, _part in parts)
    known = any(recognised(groups[p] + part) or recognised(part) for p, part in parts)
    return bool(parts) and under_group and known


def _cell(cells: list[Any], position: int) -> str:
    return _text(cells[position]) if position < len(cells) else ""


def _count(cells: list[Any]) -> int:
    return sum(1 for v in cells if _text(v))


def _is_note(cells: list[Any]) -> bool:
    texts = [_text(v) for v in cells if _text(v)]
    return len(texts) == 1 and isinstance(texts[0], str) and texts[0].lstrip("（(").startswith(_NOTE_STARTS)
