"""A school's own rules for the office's reports: settings, not code, because every school differs.

Semesters start in March and September in most schools, but the exact days are the school's; the
contact cadence (weekly, every two weeks, monthly) is the school's rule; the minimum opening time per
day is the rule of 003 ("不得少于1小时") unless the school says otherwise; so are the care network's
targets (谈心 weekly, half-monthly or monthly; 家访 per semester; contact with the family). How long a
child's personal data is kept after the child leaves is the school's policy, three years unless set.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from db.enums import ContactCadence
from db.zones import ZoneName
from sync.server.models import CareCadence, School
from sync.wire import SCHOOL_RULE_KEYS

_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class SchoolSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: ZoneName = "Asia/Shanghai"
    contact_cadence: ContactCadence = ContactCadence.MONTHLY
    min_open_minutes_per_day: int = Field(60, ge=0, le=24 * 60)
    spring_semester_starts: str = "03-01"  # MM-DD
    autumn_semester_starts: str = "09-01"
    # Age on the statistics form is counted at a fixed day, not on the day a report is run:
    # "MM-DD" of the semester's first year, or empty for the semester's first day.
    age_cutoff: str = ""
    retention_years: int = Field(3, ge=1, le=30)
    pupils_total: int | None = Field(None, ge=1, le=20_000)  # all pupils, for the share of left-behind
    # The care network's targets (issue 21; seeds §2.4): a 谈心 per window, home visits per semester,
    # a contact with the guardian or a parent per window, and how many children one teacher may take.
    talk_cadence: CareCadence = CareCadence.WEEKLY
    visits_per_semester: int = Field(1, ge=1, le=20)
    family_contact_cadence: CareCadence = CareCadence.MONTHLY
    children_per_teacher: int = Field(7, ge=1, le=60)

    @field_validator("spring_semester_starts", "autumn_semester_starts")
    @classmethod
    def _month_day(cls, value: str) -> str:
        _parse_month_day(value, 2001)
        return value

    @field_validator("age_cutoff")
    @classmethod
    def _cutoff(cls, value: str) -> str:
        if value:
            _parse_month_day(value, 2001)
        return value

    @field_validator("autumn_semester_starts")
    @classmethod
    def _autumn_after_spring(cls, value: str, info: Any) -> str:
        spring = info.data.get("spring_semester_starts")
        if spring is not None and value <= spring:
            raise ValueError("the autumn semester must start after the spring semester")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def spring_start(self, year: int) -> date:
        return _parse_month_day(self.spring_semester_starts, year)

    def autumn_start(self, year: int) -> date:
        return _parse_month_day(self.autumn_semester_starts, year)


def settings_of(school: School) -> SchoolSettings:
    """The school's settings; values stored by an older version that no longer validate are ignored
    rather than making every report fail."""
    stored = {k: v for k, v in (school.settings or {}).items() if k in SchoolSettings.model_fields}
    try:
        return SchoolSettings.model_validate(stored)
    except ValidationError:
        good = {}
        for key, value in stored.items():
            try:
                SchoolSettings.model_validate({key: value})
            except ValidationError:
                continue
            good[key] = value
        return SchoolSettings.model_validate(good)


def updated_settings(school: School, changes: dict[str, Any]) -> SchoolSettings:
    """Validate the whole rule set with the changes applied; raises ValidationError naming the field.
    Storing it gives it the school's next change number (sync.server.core.change_sequence), so its kiosks pull
    the rules they follow."""
    merged = settings_of(school).model_dump(mode="json") | changes
    validated = SchoolSettings.model_validate(merged)
    defaults = SchoolSettings().model_dump(mode="json")
    school.settings = {k: v for k, v in validated.model_dump(mode="json").items() if defaults.get(k) != v}
    return validated


def kiosk_rules(school: School) -> dict[str, Any]:
    """The rules a kiosk follows from its school, so the kiosk's reminder and the office's overdue list
    judge a child by the same cadence, in the same time zone, against the same opening minimum."""
    values = settings_of(school).model_dump(mode="json")
    return {key: values[key] for key in SCHOOL_RULE_KEYS}


def _parse_month_day(value: str, year: int) -> date:
    match = _MONTH_DAY.match(value)
    if match is None:
        raise ValueError("use MM-DD, e.g. 03-01")
    month, day = int(match.group(1)), int(match.group(2))
    if (month, day) == (2, 29):
        raise ValueError("29 February is not in every year")
    return date(year, month, day)
