"""Changing one school rule from the administrator's screen, as one transaction.

`settings.save_setting` validates and stores on a session; this wraps it so the UI (and anything else
that only holds a UnitOfWork) changes a rule in one commit, or not at all on InvalidSetting.
"""

from __future__ import annotations

from typing import Any

from kiosk.services.room_settings import RoomSettings, load_settings, save_setting
from kiosk.services.uow import UnitOfWork


def current_settings(uow: UnitOfWork) -> RoomSettings:
    with uow.read() as session:
        return load_settings(session)


def change_setting(uow: UnitOfWork, key: str, value: Any) -> RoomSettings:
    with uow:
        settings = save_setting(uow.session, key, value)
        uow.commit()
        return settings
