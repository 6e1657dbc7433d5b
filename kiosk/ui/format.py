"""How times, dates and numbers read on the screen (pure functions, both locales)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clock_text(moment: datetime, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"


def day_text(day: date, locale: str) -> str:
    """11月23日 星期一 / Mon 23 Nov."""
    if locale == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]}"
    return f"{day.month}月{day.day}日 星期{WEEKDAYS_ZH[day.weekday()]}"


def short_date(day: date, locale: str) -> str:
    """12月7日 / 7 Dec: the due date a child reads."""
    if locale == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]}"
    return f"{day.month}月{day.day}日"


def phone_text(number: str) -> str:
    """138 0000 1234: a mobile number in the groups people read aloud while dialling."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return number


def masked_phone_text(number: str) -> str:
    """*** **** 1234: the number once nobody has touched the call screen for a while; the last four
    digits are what the callee list shows anyway."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"*** **** {digits[-4:]}" if len(digits) >= 4 else "****"


def countdown_text(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"
