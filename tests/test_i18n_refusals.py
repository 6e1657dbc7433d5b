"""Every refusal a service can give is said in both languages: a new refusal without words would reach
a child as its bare code."""

from __future__ import annotations

import pytest

from kiosk.platform.words import CATALOGUES
from kiosk.services import errors


def refusals() -> list[type[errors.Refusal]]:
    found, todo = [], [errors.Refusal]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_every_refusal_has_words(locale: str) -> None:
    missing = sorted(
        {cls.code for cls in refusals()} - {k.removeprefix("refusal.") for k in CATALOGUES[locale]}
    )
    assert missing == []
