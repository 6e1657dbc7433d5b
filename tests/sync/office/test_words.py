"""The office speaks Chinese first and English second, completely: every key the pages use is in both
catalogues, including the keys made from the room's vocabulary; and no page carries inline script or
style, which the Content-Security-Policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.enums import (
    CallDirection,
    CallEnd,
    CallKind,
    CallReason,
    CardStatus,
    ContactCadence,
    CopyStatus,
    DamageSettlement,
    GuardianType,
    ItemKind,
    LetterDirection,
    NotifyParty,
    QueueExit,
    Relation,
    ReturnCondition,
    ShowingMedium,
    StaffRole,
    VisitEnd,
)
from db.events import EVENT_TYPES
from sync.server.i18n import CATALOGUES, care_en, care_zh_cn, en, zh_cn
from sync.server.models import CareAssessment, Gender, OfficeRole
from sync.server.models.facts import ConflictKind, ConflictStatus
from sync.server.office.catalogue.catalogue_columns import REQUIRED_FIELDS as CATALOGUE_REQUIRED
from sync.server.reports.catalogue import REPORTS
from sync.server.reports.official import Missing, Standing, WiderReason
from sync.server.web.render import TEMPLATES

SOURCES = [*Path(TEMPLATES).glob("*.html"), *Path(TEMPLATES).parent.parent.glob("**/*.py")]
FAMILIES = {
    "guardian": GuardianType,
    "relation": Relation,
    "call": CallKind,
    "direction": CallDirection,
    "reason": CallReason,
    "call_end": CallEnd,
    "visit_end": VisitEnd,
    "letter": LetterDirection,
    "kind": ItemKind,
    "condition": ReturnCondition,
    "copy_status": CopyStatus,
    "card": CardStatus,
    "cadence": ContactCadence,
    "gender": Gender,
    "care": CareAssessment,
    "role": OfficeRole,
    "staff_role": StaffRole,
    "conflict": ConflictKind,
    "conflict_status": ConflictStatus,
    "medium": ShowingMedium,
    "settlement": DamageSettlement,
    "party": NotifyParty,
    "queue_exit": QueueExit,
    "stats.standing": Standing,
    "stats.wider": WiderReason,
    "stats.missing": Missing,
}


def used_keys() -> set[str]:
    found = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_.]+)["']""", text))
        found |= set(re.findall(r"""translate\(\w+, ["']([a-z_]+\.[a-z_.]+)["']""", text))
    return {k for k in found if not k.endswith((".", "_"))}


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_every_word_the_pages_use_is_in_each_language(locale: str) -> None:
    catalogue = CATALOGUES[locale]
    wanted = used_keys()
    wanted |= {f"{family}.{member.value}" for family, enum in FAMILIES.items() for member in enum}
    wanted |= {f"event.{name}" for name in EVENT_TYPES}
    wanted |= {f"report.{slug}" for slug in REPORTS} | {f"report.{slug}.about" for slug in REPORTS}
    missing = sorted(k for k in wanted if k not in catalogue)
    assert missing == []


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = CATALOGUES["zh_CN"], CATALOGUES["en"]
    assert set(zh) == set(en)
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_the_care_networks_words_never_replace_the_offices() -> None:
    """The two catalogues are merged into one per language: a key in both would silently change the
    other's sentence (a care form's "请填写标题" once replaced the catalogue import's "缺少名称")."""
    for office, care in ((zh_cn.MESSAGES, care_zh_cn.MESSAGES), (en.MESSAGES, care_en.MESSAGES)):
        assert sorted(set(office) & set(care)) == []


def test_no_page_has_inline_script_or_style() -> None:
    for path in Path(TEMPLATES).glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "<style" not in text and " style=" not in text, path.name
        assert not re.search(r"\son[a-z]+=", text), path.name  # onclick= and friends


OFFICE = Path(TEMPLATES).parent.parent / "office"
WEB = Path(TEMPLATES).parent


def _codes(pattern: str, *folders: Path) -> set[str]:
    return {
        code
        for folder in folders
        for path in folder.rglob("*.py")
        for code in re.findall(pattern, path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_every_reason_an_import_gives_is_in_each_language(locale: str) -> None:
    """A rejected row's reasons and a refused file's reason are keys made at run time ("problem." ~
    code, "catalogue.problem." ~ code), which the scan of literal t("…") calls above cannot see."""
    catalogue = CATALOGUES[locale]
    row_codes = _codes(r"""FieldProblem\(\s*["']([a-z_]+)["']""", OFFICE) | _codes(
        r"""problems\.append\(\s*f?["']([a-z_]+)""", OFFICE
    )
    assert {"barcode_taken", "isbn_invalid", "item_details_differ", "student_no_repeats"} <= row_codes
    assert sorted(code for code in row_codes if f"problem.{code}" not in catalogue) == []
    file_codes = _codes(r"""(?:SheetFileError|ImportRefused|UploadRefused)\(\s*["']([a-z_]+)""", OFFICE, WEB)
    assert {"no_heading", "missing_columns", "preview_stale", "file_too_large"} <= file_codes
    for page in ("roster", "catalogue"):
        wanted = file_codes - ({"preview_stale"} if page == "roster" else set())
        assert sorted(code for code in wanted if f"{page}.problem.{code}" not in catalogue) == [], page
    assert [f for f in CATALOGUE_REQUIRED if f"catalogue.field.{f}" not in catalogue] == []
