"""A time zone name as the kiosk, the sync client and the school office all accept it: one the
system's zone database knows, so the day a record falls on is worked out the same way everywhere."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator


def known_zone(value: str) -> str:
    """The name unchanged, or ValueError when this system cannot load it."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


ZoneName = Annotated[str, AfterValidator(known_zone)]
