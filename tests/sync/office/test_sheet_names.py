"""Sheet names of at most 31 characters (Excel's limit) that read well: the table's title without the
dates in brackets, never cut inside a word, unique within the workbook."""

from __future__ import annotations

from sync.server.reports.xlsx import SHEET_NAME_MAX, sheet_name


def test_the_dates_in_brackets_are_left_to_the_sheet_not_cut_into_the_name() -> None:
    used: set[str] = set()
    title = "期初、期中、期末人数（2026-09-01 / 2026-11-15 / 2027-01-31）（国家口径）"
    assert sheet_name(title, used) == "期初、期中、期末人数"  # was 期初、期中、期末人数（2026-09-01   2026
    assert sheet_name("按年龄（计算日 2026-09-01）（国家口径）", used) == "按年龄"


def test_english_names_end_at_a_word_and_every_name_is_unique_and_short() -> None:
    used: set[str] = set()
    long = "Other children the room serves who are not in the official count"
    name = sheet_name(long, used)
    assert len(name) <= SHEET_NAME_MAX and long.startswith(name) and long[len(name)] == " "
    again = sheet_name(long, used)
    assert again != name and len(again) <= SHEET_NAME_MAX and again.endswith(" 2")
    assert sheet_name("Loans: overdue [as of 2026-12-01] / lost?", used) == "Loans overdue as of 2026-12-01"
