"""设置: the language, and the school's rules the duty teacher may change at the kiosk."""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout

from db.enums import ContactCadence, ItemKind
from kiosk.services.settings import RoomSettings
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, px

Option = tuple[str, bool, Callable[[], None]]


class SettingsPage(Page):
    page = AdminPage.SETTINGS

    def build(self) -> None:
        self.body = self.frame("admin.settings")
        self.ctrl.settings(self._show)

    def _change(self, key: str, value: object) -> None:
        self.ctrl.change_setting(key, value, self._show)

    def _show(self, settings: RoomSettings) -> None:
        if not self.shown:
            return
        body = self.body
        body.clear_widgets()
        body.add_widget(
            self._row(
                "settings.language",
                [
                    (label, code == self.app.locale, lambda c=code: self.app.set_locale(c))
                    for code, label in (("zh_CN", "中文"), ("en", "English"))
                ],
            )
        )
        body.add_widget(
            self._row(
                "settings.cadence",
                [
                    (
                        self.t(f"cadence.{c.value}"),
                        settings.contact_cadence is c,
                        lambda c=c: self._change("contact_cadence", c.value),
                    )
                    for c in ContactCadence
                ],
            )
        )
        limit = settings.call_time_limit_minutes
        body.add_widget(
            self._row(
                "settings.call_limit",
                [
                    ("−", False, lambda: self._change("call_time_limit_minutes", max(1, limit - 1))),
                    (self.t("settings.minutes", minutes=limit), True, lambda: None),
                    ("+", False, lambda: self._change("call_time_limit_minutes", limit + 1)),
                ],
            )
        )
        body.add_widget(
            FitText(
                text=self.t("settings.loan_days", days=settings.loan_days[ItemKind.BOOK]),
                size_hint_y=None,
                height=px(40),
                color=theme.INK_SOFT,
            )
        )
        body.add_widget(BoxLayout())

    def _row(self, key: str, options: list[Option]) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        row.add_widget(FitText(text=self.t(key), halign="left", size_hint_x=1.3))
        for text, chosen, action in options:
            row.add_widget(self.toggle(text, chosen, action))
        return row
