"""The audit log in words: an entry stores codes and ids ("report:register", period=semester:2026-autumn,
personal=True) so that it never holds a name; the page says them as a person would — 报表《电话、视频使用
登记》, 时期 2026年秋季学期, 含个人信息 是 — naming children, classes, users and kiosks from the
database as it is now (an erased child is erased from the log too).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import CentralCatalogueItem, OfficeUser, Room, SchoolClass
from sync.server.reports.period import PeriodError, parse_period

Words = Callable[..., str]


def other_names(session: Session, school_id: uuid.UUID, ids: set[str]) -> dict[str, str]:
    """Classes, catalogue titles, rooms and office users by id (children, contacts, copies, staff and
    kiosks are named by office.conflicts.names_for)."""
    wanted = set()
    for ident in ids:
        try:
            wanted.add(uuid.UUID(ident))
        except ValueError:
            continue
    if not wanted:
        return {}
    names: dict[str, str] = {}
    for klass in session.scalars(
        select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.id.in_(wanted))
    ):
        names[str(klass.id)] = klass.name
    for item in session.scalars(
        select(CentralCatalogueItem).where(
            CentralCatalogueItem.school_id == school_id, CentralCatalogueItem.id.in_(wanted)
        )
    ):
        names[str(item.id)] = f"《{item.title}》"
    for room in session.scalars(select(Room).where(Room.school_id == school_id, Room.id.in_(wanted))):
        names[str(room.id)] = room.name
    for user in session.scalars(select(OfficeUser).where(OfficeUser.id.in_(wanted))):
        if user.school_id in (school_id, None):
            names[str(user.id)] = f"{user.display_name}（{user.username}）"
    return names


def subject_words(subject: str | None, names: Mapping[str, str], t: Words) -> str:
    if not subject:
        return ""
    kind, _, ident = subject.partition(":")
    what = _word(t, f"audit_subject.{kind}", kind)
    if not ident:
        return what
    if kind == "report":
        return f"{what}《{_word(t, f'report.{ident}', ident)}》"
    return f"{what} {names.get(ident, _short(ident))}"


def detail_words(detail: Mapping[str, Any], t: Words, locale: str) -> str:
    """key=value pairs as 时期 2026年秋季学期；格式 XLSX；含个人信息 是."""
    parts = []
    for key, value in detail.items():
        label = _word(t, f"audit_detail.{key}", key)
        parts.append(f"{label} {_value_words(key, value, t, locale)}".strip())
    return "；".join(parts)


def _value_words(key: str, value: Any, t: Words, locale: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if key == "period" and isinstance(value, str):
        return period_words(value, locale)
    if key == "format" and isinstance(value, str):
        return value.upper()
    if key == "keys" and isinstance(value, list):
        return "、".join(_setting_words(k, t) for k in value)
    if key == "status" and isinstance(value, str):
        return _word(t, f"copy_status.{value}", value)
    if key == "page" and isinstance(value, str):
        return _word(t, f"audit_page.{value}", value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SETTING_LABELS = {
    "contact_cadence": "settings.contact_cadence",
    "min_open_minutes_per_day": "settings.min_open",
    "spring_semester_starts": "settings.spring",
    "autumn_semester_starts": "settings.autumn",
    "age_cutoff": "settings.age_cutoff",
    "pupils_total": "settings.pupils_total",
    "retention_years": "settings.retention",
    "timezone": "settings.timezone",
}


def _setting_words(name: str, t: Words) -> str:
    """A setting by the label of its field, without the hint in brackets."""
    label = _word(t, _SETTING_LABELS.get(name, f"settings.{name}"), name)
    return re.sub(r"\s*[（(].*?[)）]", "", label)


def period_words(code: str, locale: str) -> str:
    try:
        return parse_period(code, SchoolSettings(), date.today()).label(locale)
    except PeriodError:
        return code


def _word(t: Words, key: str, fallback: str) -> str:
    found = t(key)
    return fallback if found == key else found


def _short(ident: str) -> str:
    """An id with nothing to name it (a record since erased): its first characters, to tell apart."""
    return ident[:8] if len(ident) == 36 else ident
