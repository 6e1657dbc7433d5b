"""zh-CN first, English second. Keys are stable codes; services return codes, screens translate them.

A missing key falls back to zh-CN and then to the key itself, so a screen never crashes on a message;
the test suite checks both catalogues carry the same keys.
"""

from __future__ import annotations

from typing import Any

from kiosk.i18n.en import MESSAGES as EN
from kiosk.i18n.zh_cn import MESSAGES as ZH_CN

DEFAULT_LOCALE = "zh_CN"
CATALOGUES: dict[str, dict[str, str]] = {"zh_CN": ZH_CN, "en": EN}


def translate(key: str, locale: str = DEFAULT_LOCALE, **params: Any) -> str:
    template = CATALOGUES.get(locale, ZH_CN).get(key) or ZH_CN.get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def refusal_message(refusal: Exception, locale: str = DEFAULT_LOCALE) -> str:
    """The sentence a child or teacher sees for a service's refusal."""
    code = getattr(refusal, "code", "refused")
    params = dict(getattr(refusal, "params", {}))
    if "kind" in params:
        params["kind"] = translate(f"kind.{params['kind']}", locale)
    return translate(f"refusal.{code}", locale, **params)
