"""The rules a kiosk takes from its school: contact cadence, time zone and the daily opening minimum.

The office sets them once for the school (sync.server.core.school_settings); each kiosk adopts them
at its next pull, so the reminder a child sees on the kiosk and the overdue list the office reads
judge by the same cadence. Adopted keys are listed under SET_BY_SCHOOL, and the kiosk's own settings
page then shows them as set by the school instead of letting a duty teacher change them back.

A value this kiosk cannot use (a newer server's rule, a time zone its system lacks) is skipped with a
warning, keeping the kiosk's own value: a bad rule must never stop the room from working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from db.enums import ContactCadence
from db.models import SET_BY_SCHOOL, Setting
from db.zones import known_zone
from sync.wire import SCHOOL_RULE_KEYS, Changes

log = logging.getLogger(__name__)


def _is_zone(value: Any) -> bool:
    try:
        known_zone(value)
    except ValueError:
        return False
    return True


def _is_cadence(value: Any) -> bool:
    return value in {c.value for c in ContactCadence}


def _is_minutes_of_a_day(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60


USABLE: dict[str, Callable[[Any], bool]] = {
    "timezone": _is_zone,
    "contact_cadence": _is_cadence,
    "min_open_minutes_per_day": _is_minutes_of_a_day,
}
assert set(USABLE) == set(SCHOOL_RULE_KEYS), "every rule the office sends has a check here"


def latest_rules(pages: Iterable[Changes]) -> dict[str, Any] | None:
    """The rules in the last page that carried any: a later page holds a later setting."""
    rules = None
    for page in pages:
        if page.school_rules is not None:
            rules = page.school_rules
    return rules


def adopt_rules(session: Session, rules: dict[str, Any]) -> list[str]:
    """Store the usable rules as the kiosk's settings and list them as set by the school."""
    adopted = []
    for key, value in sorted(rules.items()):
        check = USABLE.get(key)
        if check is None or not check(value):
            log.warning("the school's rule %s is not one this kiosk can use; keeping its own value", key)
            continue
        _put(session, key, value)
        adopted.append(key)
    _put(session, SET_BY_SCHOOL, adopted)
    return adopted


def _put(session: Session, key: str, value: Any) -> None:
    statement = insert(Setting).values(key=key, value=value)
    session.execute(statement.on_conflict_do_update(index_elements=[Setting.key], set_={"value": value}))
