"""The administrator's menu: one tile per page, and 开门 / 关门 (the room's opening is the record the
rules ask for: 开放时间不得少于1小时)."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.services.room import RoomClosedSummary, RoomStatus
from kiosk.ui import theme
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import MENU, AdminPage
from kiosk.ui.widgets import FitText, px, tile


class HomePage(Page):
    page = AdminPage.HOME

    def build(self) -> None:
        self.room: RoomStatus | None = None
        root = self.screen.root_box
        bar = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        bar.add_widget(
            FitText(
                text=bold(self.t("admin.menu")) + " · " + self.t("admin.welcome", name=self.session.name),
                font_size=px(theme.FONT_BIG),
                halign="left",
            )
        )
        bar.add_widget(self.bar_button("admin.logout", theme.LEAVE, self.app.go_idle))
        root.add_widget(bar)
        root.add_widget(self.banner)
        grid = GridLayout(cols=5, spacing=px(8))
        for entry in MENU:
            grid.add_widget(
                tile(
                    None,
                    self._caption(entry.icon, self.t(entry.title_key)),
                    entry.colour,
                    lambda p=entry.page: self.go(p),
                    caption_size=theme.FONT_SMALL + 1,
                )
            )
        self.room_tile = tile(
            None,
            self._caption("◎", self.t("admin.open_room")),
            theme.CALL,
            self._toggle_room,
            caption_size=theme.FONT_SMALL + 1,
        )
        grid.add_widget(self.room_tile)
        root.add_widget(grid)
        self.ctrl.room_status(self._show_room)

    def _show_room(self, status: RoomStatus) -> None:
        self.room = status
        if not self.shown:
            return
        key, colour = ("admin.close_room", theme.LEAVE) if status.is_open else ("admin.open_room", theme.CALL)
        self.room_tile.text = self._caption("◎", self.t(key))
        self.room_tile.fill = list(colour)

    def _caption(self, glyph: str, words: Markup) -> Markup:
        """The teacher's tiles keep their glyphs: the administrator reads."""
        return sized(glyph, px(26)) + "\n" + words

    def _toggle_room(self) -> None:
        if self.room is None:
            return
        if self.room.is_open:
            self.ctrl.close_room(self.session.staff_id, self._closed)
        else:
            self.ctrl.open_room(
                self.session.staff_id, lambda _: self._room_changed(self.t("admin.room_opened"))
            )

    def _closed(self, summary: RoomClosedSummary) -> None:
        self._room_changed(self.t("admin.room_closed", minutes=summary.minutes_open))

    def _room_changed(self, message: str) -> None:
        if self.shown:
            self.banner.show(message, "good")
        self.ctrl.room_status(self._show_room)
        self.app.refresh_idle()
