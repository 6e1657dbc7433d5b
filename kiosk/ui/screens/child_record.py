"""A screen on which the signed-in child records one thing in a few steps (a letter, a call from home):
the steps fill the body, the outcome shows in the band, and 完成 takes her back to her menu."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, button, px

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class ChildRecordScreen(KioskScreen):
    def __init__(self, app: ScreenHost, *, name: str, title: str, **kwargs: Any) -> None:
        super().__init__(app, name=name, **kwargs)
        self.child_id: uuid.UUID | None = None
        root = BoxLayout(orientation="vertical", padding=px(14), spacing=px(theme.GAP))
        root.add_widget(self.header(self.t(title), self.app.back_to_child))
        self.banner = Banner()
        root.add_widget(self.banner)
        self.body = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        root.add_widget(self.body)
        self.add_widget(root)

    def done(self, message: str) -> None:
        """Recorded: what was kept, in the band, and only 完成 below it (nothing to tap twice)."""
        self.body.clear_widgets()
        self.banner.show(message, "good")
        self.body.add_widget(
            button(self.t("menu.done"), theme.NEUTRAL, self.app.back_to_child, font_size=px(theme.FONT_TITLE))
        )

    def forget(self) -> None:
        self.child_id = None
        self.banner.show("")
        self.body.clear_widgets()
