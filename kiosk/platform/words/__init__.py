"""zh-CN first, English second. Keys are stable codes; services return codes, screens translate them.

A missing key falls back to zh-CN and then to the key itself, so a screen never crashes on a message;
the test suite checks both catalogues carry the same keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.enums import Relation
from kiosk.platform.words.en import MESSAGES as EN
from kiosk.platform.words.zh_cn import MESSAGES as ZH_CN

DEFAULT_LOCALE = "zh_CN"
CATALOGUES: dict[str, dict[str, str]] = {"zh_CN": ZH_CN, "en": EN}


def translate(key: str, locale: str = DEFAULT_LOCALE, **params: Any) -> str:
    template = CATALOGUES.get(locale, ZH_CN).get(key) or ZH_CN.get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def contact_reminder(callees: Sequence[Relation], locale: str = DEFAULT_LOCALE) -> str:
    """The gentle due-for-a-call reminder, worded from the people this child may call: "给妈妈或
    爷爷奶奶", never a parent the child does not have. Empty when there is nobody to name."""
    names = [translate(f"reminder.who.{relation.value}", locale) for relation in callees]
    if not names:
        return ""
    who = names[-1]
    if len(names) > 1:
        listed = translate("reminder.and", locale).join(names[:-1])
        who = listed + translate("reminder.or", locale) + who
    return translate("reminder.call", locale, who=who)


def duration_text(seconds: int, locale: str = DEFAULT_LOCALE) -> str:
    """3 分 20 秒 / 3 min 20 s: how long a call lasted. Seconds count: a 30-second call is 0 分 30 秒,
    never "0 minutes" (a child who rang and got no answer still tried)."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return translate("duration.min_sec", locale, minutes=minutes, seconds=rest)


def refusal_message(refusal: Exception, locale: str = DEFAULT_LOCALE) -> str:
    """The sentence a child or teacher sees for a service's refusal."""
    code = getattr(refusal, "code", "refused")
    params = dict(getattr(refusal, "params", {}))
    if "kind" in params:
        params["kind"] = translate(f"kind.{params['kind']}", locale)
    if "reason" in params:
        params["reason"] = translate(f"enrol.why.{params['reason']}", locale)
    return translate(f"refusal.{code}", locale, **params)
