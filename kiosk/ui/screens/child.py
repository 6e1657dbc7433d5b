"""The child's own screen after a tap: name, 签到 or 签退, birthday, a gentle call reminder, four choices.

The reminder and the birthday greeting appear only here, on the tapping child's own screen, and the
screen forgets the child when the kiosk goes back to idle.
"""

from __future__ import annotations

import uuid
from typing import Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import contact_reminder
from kiosk.services import signin
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Panel, button, px, tile


class ChildScreen(KioskScreen):
    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, name="child", **kwargs)
        self.child_id: uuid.UUID | None = None
        self.child_name = ""
        self.signed_in = False
        root = BoxLayout(orientation="vertical", padding=px(14), spacing=px(theme.GAP))
        head = Panel(size_hint_y=None, height=px(76), padding=(px(16), px(6)))
        self.check = FitText(text="✔", font_size=px(44), color=theme.GOOD, size_hint_x=None, width=px(56))
        self.greeting = FitText(font_size=px(theme.FONT_TITLE), halign="left")
        head.add_widget(self.check)
        head.add_widget(self.greeting)
        root.add_widget(head)
        self.birthday = Banner()
        self.reminder = Banner()
        root.add_widget(self.birthday)
        root.add_widget(self.reminder)
        self.tiles = BoxLayout(spacing=px(theme.GAP))
        root.add_widget(self.tiles)
        root.add_widget(
            button(
                self.t("menu.done"),
                theme.NEUTRAL,
                self.app.go_idle,
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )
        self.add_widget(root)

    def show(self, result: signin.SignedIn | signin.StillSignedIn | signin.SignedOut) -> None:
        self.child_id = result.child.id
        self.child_name = result.child.name
        name = result.child.name
        match result:
            case signin.SignedIn():
                self.signed_in = True
                self.greeting.text = self.t("tap.signed_in", name=f"[b]{name}[/b]")
            case signin.StillSignedIn():
                self.signed_in = True
                self.greeting.text = self.t("tap.still_signed_in", name=f"[b]{name}[/b]")
            case signin.SignedOut(minutes=minutes):
                self.signed_in = False
                self.greeting.text = self.t("tap.signed_out", name=f"[b]{name}[/b]", minutes=minutes)
        birthday = isinstance(result, signin.SignedIn) and result.birthday_today
        self.birthday.show(f"★ {self.t('tap.birthday')} ★" if birthday else "", "good")
        self.birthday.fill = list(theme.BIRTHDAY)
        reminder = ""
        if not isinstance(result, signin.SignedOut) and result.contact_due:
            reminder = contact_reminder(result.remind_to_call, self.app.locale)
        self.reminder.show(f"☎ {reminder}" if reminder else "", "info")
        self._tiles()

    def _tiles(self) -> None:
        self.tiles.clear_widgets()
        self.tiles.add_widget(tile("☎", self.t("menu.call"), theme.CALL, self.app.open_call))
        self.tiles.add_widget(
            tile("书", self.t("menu.books"), theme.BOOKS, lambda: self.app.open_loans("books"))
        )
        self.tiles.add_widget(
            tile("♟", self.t("menu.equipment"), theme.EQUIPMENT, lambda: self.app.open_loans("equipment"))
        )
        if self.signed_in:
            self.tiles.add_widget(tile("↩", self.t("menu.sign_out"), theme.LEAVE, self._sign_out))

    def _sign_out(self) -> None:
        if self.child_id is None:
            return
        child_id = self.child_id

        def done(result: signin.SignedOut | None) -> None:
            if result is None or self.child_id != child_id:
                self.app.go_idle()
                return
            self.show(result)
            self.app.schedule_idle(self.app.kconfig.message_seconds)

        self.ctrl.sign_out(child_id, done)

    def forget(self) -> None:
        self.child_id = None
        self.child_name = ""
        self.greeting.text = ""
        self.birthday.show("")
        self.reminder.show("")
        self.tiles.clear_widgets()
