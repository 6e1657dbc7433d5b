"""The office pages' words in Simplified Chinese (first) and English (second).

A user's saved choice wins, then the `lang` cookie (the switch in the page header), then the browser's
Accept-Language, then zh-CN. A key missing from a catalogue shows as the key itself, and a test checks
that both catalogues hold every key the templates and pages use.
"""

from __future__ import annotations

from typing import Any

from sync.server.i18n import care_en, care_zh_cn, en, zh_cn

DEFAULT_LOCALE = "zh_CN"
# The care network's pages (issue 21) keep their words in catalogues of their own.
CATALOGUES: dict[str, dict[str, str]] = {
    "zh_CN": zh_cn.MESSAGES | care_zh_cn.MESSAGES,
    "en": en.MESSAGES | care_en.MESSAGES,
}
LOCALE_NAMES = {"zh_CN": "简体中文", "en": "English"}


def translate(locale: str, key: str, **values: Any) -> str:
    chinese = CATALOGUES[DEFAULT_LOCALE]
    text = CATALOGUES.get(locale, chinese).get(key) or chinese.get(key) or key
    return text.format(**values) if values else text


def pick_locale(saved: str | None, cookie: str | None, accept_language: str | None) -> str:
    for choice in (saved, cookie):
        if choice in CATALOGUES:
            return choice
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def html_lang(locale: str) -> str:
    return "zh-CN" if locale == "zh_CN" else locale
