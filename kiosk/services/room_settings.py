"""The room's rules as settings, because every school words them differently.

Examples from the seeds: one school wants a family call every week, another every two weeks, most
once a month; weekly schedules differ (周二 is 阅览室 at one school, 留守学生工作站 at another). The
seeds never give loan periods or limits, so the defaults below are ours: 14 days for books, the same
day for equipment, a couple of items at a time.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ChildMenuItem, ContactCadence, ItemKind, NotifyParty
from db.limits import SHOWING_CONTENT_MAX
from db.models import SET_BY_SCHOOL, Setting
from db.zones import ZoneName
from kiosk.services.errors import InvalidSetting, SetBySchool


class QuietHours(BaseModel):
    """When the room wants the kiosk quiet (a midday rest, a class next door): from `start` until
    `end`, over midnight if `end` is earlier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("quiet hours start and end at the same time")
        return self


class RoomSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: ZoneName = "Asia/Shanghai"
    contact_cadence: ContactCadence = ContactCadence.MONTHLY
    call_time_limit_minutes: int = Field(10, ge=1, le=120)
    phones_in_room: int = Field(1, ge=0, le=20)
    video_devices_in_room: int = Field(1, ge=0, le=20)
    # 0 days = due back the same day (equipment is played with and returned before going home).
    loan_days: dict[ItemKind, int] = Field(
        default_factory=lambda: {
            ItemKind.BOOK: 14,
            ItemKind.PERIODICAL: 7,
            ItemKind.SPORTS: 0,
            ItemKind.CHESS: 0,
            ItemKind.OTHER: 0,
        }
    )
    max_open_loans: dict[ItemKind, int] = Field(
        default_factory=lambda: {
            ItemKind.BOOK: 2,
            ItemKind.PERIODICAL: 2,
            ItemKind.SPORTS: 1,
            ItemKind.CHESS: 1,
            ItemKind.OTHER: 1,
        }
    )
    borrow_blocked_when_overdue: bool = True
    # A second tap within this many seconds of signing in is a slip, not a sign-out.
    repeat_tap_seconds: int = Field(10, ge=0, le=600)
    # A later tap asks the child 要签退吗？ (she signs out on 是); off: a later tap only greets her.
    second_tap_signs_out: bool = True
    # 未开门: whether children may sign in and borrow before a teacher opens the room (开门). Some rooms
    # run on their own after class; others want the opening record the rules ask for to be true.
    children_use_while_closed: bool = True
    min_open_minutes_per_day: int = Field(60, ge=0, le=24 * 60)
    # The keys above that the school office set for all its kiosks (sync.client.school_rules): the
    # kiosk follows them and does not change them.
    set_by_school: frozenset[str] = frozenset()
    # ISO weekday (1 = Monday) -> what the room offers that day, shown on the idle screen.
    weekly_schedule: dict[int, str] = Field(
        default_factory=lambda: {
            1: "图书室开放",
            2: "阅览室开放",
            3: "电脑室开放",
            4: "文体活动",
            5: "交流活动",
        }
    )
    remind_contact_due: bool = True
    # One phone, many children (a school of 183 calling weekly is ~37 calls in an hour's opening): a
    # child who finds the phone busy takes a place in the queue; when it is free the next child is
    # called on the idle screen and has `queue_turn_minutes` to come before the turn passes on.
    call_queue: bool = True
    queue_turn_minutes: int = Field(3, ge=1, le=30)
    # 突发事件: minutes, from the moment the incident is recorded, to tell each party. The seeds
    # disagree (学校领导和委托监护人 20 分钟 in one school's rules, 委托监护人 30 分钟 in another's).
    notify_within_minutes: dict[NotifyParty, int] = Field(
        default_factory=lambda: {
            NotifyParty.SCHOOL_LEADERS: 20,
            NotifyParty.GUARDIAN: 30,
            NotifyParty.PARENTS: 60,
            NotifyParty.BUREAU: 120,
        }
    )
    # 电视、VCD放映: what the administrator picks from (the kiosk has no keyboard for titles).
    showing_programmes: list[str] = Field(
        default_factory=lambda: ["新闻联播", "少儿节目", "动画片", "爱国主义影片", "科普片", "安全教育片"],
        min_length=1,
        max_length=12,
    )
    # ISO weekday -> what the child's menu offers that day (周一 图书室 …); a day not listed offers all.
    weekday_menus: dict[int, list[ChildMenuItem]] = Field(default_factory=dict)
    pin_max_attempts: int = Field(5, ge=1, le=20)
    pin_lockout_minutes: int = Field(5, ge=1, le=24 * 60)
    # Each further lockout (without a right PIN between) lasts twice as long, up to this.
    pin_lockout_max_minutes: int = Field(24 * 60, ge=1, le=7 * 24 * 60)
    # Sound for children who cannot read yet (kiosk.ui.audio): a chime, a soft "not now", short voice
    # prompts. 0 is silent; in quiet hours there is no voice and the tones are soft.
    sound_volume: int = Field(70, ge=0, le=100)
    voice_prompts: bool = True
    quiet_hours: QuietHours | None = None

    @field_validator("loan_days", "max_open_loans")
    @classmethod
    def _every_kind(cls, value: dict[ItemKind, int]) -> dict[ItemKind, int]:
        missing = set(ItemKind) - set(value)
        if missing:
            raise ValueError(f"missing kinds: {sorted(missing)}")
        if any(v < 0 or v > 365 for v in value.values()):
            raise ValueError("values must be between 0 and 365")
        return value

    @field_validator("weekly_schedule", "weekday_menus")
    @classmethod
    def _weekdays(cls, value: dict[int, Any]) -> dict[int, Any]:
        if any(day < 1 or day > 7 for day in value):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday)")
        return value

    @field_validator("notify_within_minutes")
    @classmethod
    def _every_party(cls, value: dict[NotifyParty, int]) -> dict[NotifyParty, int]:
        missing = set(NotifyParty) - set(value)
        if missing:
            raise ValueError(f"missing parties: {sorted(missing)}")
        if any(v < 5 or v > 24 * 60 for v in value.values()):
            raise ValueError("deadlines are between 5 minutes and a day")
        return value

    @field_validator("showing_programmes")
    @classmethod
    def _titles(cls, value: list[str]) -> list[str]:
        titles = [title.strip() for title in value]
        if any(not 1 <= len(title) <= SHOWING_CONTENT_MAX for title in titles):
            raise ValueError(f"a title has 1 to {SHOWING_CONTENT_MAX} characters")
        return titles

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def contact_period(self) -> timedelta:
        return timedelta(days=self.contact_cadence.days)

    @property
    def call_time_limit(self) -> timedelta:
        return timedelta(minutes=self.call_time_limit_minutes)


def load_settings(session: Session) -> RoomSettings:
    """Defaults overlaid with whatever the school has set (rows in `settings`)."""
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    known = {k: v for k, v in stored.items() if k in RoomSettings.model_fields}
    return RoomSettings.model_validate(known)


def save_setting(session: Session, key: str, value: Any) -> RoomSettings:
    """Validate one change against the whole rule set before it is stored."""
    if key not in RoomSettings.model_fields or key == SET_BY_SCHOOL:
        raise InvalidSetting(key=key, problem="unknown setting")
    loaded = load_settings(session)
    if key in loaded.set_by_school:
        raise SetBySchool(key=key)
    current = loaded.model_dump(mode="json")
    current[key] = value
    try:
        validated = RoomSettings.model_validate(current)
    except ValidationError as exc:
        raise InvalidSetting(key=key, problem=exc.errors()[0]["msg"]) from exc
    row = session.get(Setting, key)
    json_value = validated.model_dump(mode="json")[key]
    if row is None:
        session.add(Setting(key=key, value=json_value))
    else:
        row.value = json_value
    return validated
