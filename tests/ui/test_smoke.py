from __future__ import annotations

from typing import Any


def test_idle_screen_shows_tap_prompt(kiosk: Any) -> None:
    assert kiosk.screen == "idle"
    assert kiosk.sees("请刷卡")
    kiosk.screenshot("00-smoke")
