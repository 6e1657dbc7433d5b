"""管理员 log-in: the staff card was tapped; now the PIN on an on-screen keypad (the service counts
wrong PINs and locks out, so a child cannot try them all)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.services.staff import StaffSession
from kiosk.ui import theme
from kiosk.ui.controller import Refused
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Keypad, Panel, Text, button, px

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class PinScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="pin", **kwargs)
        self.staff_id: uuid.UUID | None = None
        root = BoxLayout(padding=px(14), spacing=px(16))
        left = Panel(orientation="vertical", size_hint_x=0.45)
        left.add_widget(FitText(text="◎", font_size=px(72), color=theme.PRIMARY))
        self.title = Text(font_size=px(theme.FONT_BIG), halign="center")
        left.add_widget(self.title)
        self.banner = Banner()
        left.add_widget(self.banner)
        left.add_widget(
            button(
                self.t("keypad.cancel"),
                theme.NEUTRAL,
                self.app.go_idle,
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )
        root.add_widget(left)
        self.keypad = Keypad(
            self._submit,
            self.t("keypad.ok"),
            self.t("keypad.clear"),
            secret=True,
            max_length=8,
            size_hint_x=0.55,
        )
        root.add_widget(self.keypad)
        self.add_widget(root)

    def start(self, staff_id: uuid.UUID, name: str) -> None:
        self.staff_id = staff_id
        self.title.text = self.t("tap.staff_card", name=name)
        self.banner.show("")
        self.keypad.clear()

    def _submit(self, pin: str) -> None:
        if self.staff_id is not None:
            self.ctrl.verify_pin(self.staff_id, pin, self._ok, self._refused)

    def _ok(self, session: StaffSession) -> None:
        self.app.open_admin(session)

    def _refused(self, refused: Refused) -> None:
        self.banner.show(refused.message, "bad")

    def forget(self) -> None:
        self.staff_id = None
        self.keypad.clear()
        self.banner.show("")
