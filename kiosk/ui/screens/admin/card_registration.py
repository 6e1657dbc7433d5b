"""登记卡片: tap the new card, pick the class, pick the child. Takes card taps: here a tap is the new
card, not a sign-in."""

from __future__ import annotations

from kiosk.services.signin import ChildSummary
from kiosk.ui import theme
from kiosk.ui.controller import Refused
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.admin.picker import ChildPicker
from kiosk.ui.widgets import FitText, Panel, Text, px


class RegisterPage(Page):
    page = AdminPage.REGISTER
    takes_cards = True

    def build(self) -> None:
        self.new_card: str | None = None
        self.picker: ChildPicker | None = None
        self.body = self.frame("admin.register_card")
        self._ask_for_card()

    def _ask_for_card(self) -> None:
        self.new_card = None
        self.body.clear_widgets()
        panel = Panel(orientation="vertical")
        panel.add_widget(FitText(text="◆", font_size=px(64), color=theme.PRIMARY))
        panel.add_widget(Text(text=self.t("register.tap_new"), halign="center", font_size=px(theme.FONT_BIG)))
        self.body.add_widget(panel)

    def on_card(self, uid: str) -> None:
        self.new_card = uid
        self.banner.show("")
        self.picker = ChildPicker(
            self.ctrl,
            self.body,
            lambda step: self.t(f"register.pick_{step}", uid=uid),
            self._register,
            lambda: self.shown,
        )
        self.picker.start()

    def _register(self, child: ChildSummary) -> None:
        if self.new_card is None:
            return

        def done(uid: str) -> None:
            self._after(self.t("register.done", uid=uid, name=child.name, class_name=child.class_name))

        def refused(refused: Refused) -> None:
            self._after(refused.message, "bad")

        self.ctrl.register_card(self.session.staff_id, self.new_card, child.id, done, refused)

    def _after(self, message: str, tone: str = "good") -> None:
        if self.shown:
            self._ask_for_card()
            self.banner.show(message, tone)
