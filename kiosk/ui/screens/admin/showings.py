"""电视、VCD放映: open a showing (电视 or VCD, a programme from the school's list, the time it starts),
let the children join — with a tap of their card here, or from their own screen — and see who
watched; 今日记录 lists today's showings. Takes card taps while a showing is open."""

from __future__ import annotations

from datetime import datetime, timedelta

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from db.enums import ShowingMedium
from kiosk.services.room_settings import RoomSettings
from kiosk.services.showings import OpenShowing, ShowingRecord
from kiosk.services.signin import ChildSummary
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Panel, Table, button, px

STEP = timedelta(minutes=5)


class ShowingsPage(Page):
    page = AdminPage.SHOWINGS

    def build(self) -> None:
        today = self.bar_button(
            "showings.today", theme.NEUTRAL, lambda: self.ctrl.todays_showings(self._register)
        )
        self.body = self.frame("admin.showings", [today])
        self.showing: OpenShowing | None = None
        self.medium = ShowingMedium.TV
        self.content: str | None = None
        self.starts_at = _rounded(self.ctrl.now())
        self.ctrl.showing_now(self._now)

    def _now(self, showing: OpenShowing | None) -> None:
        self.showing = showing
        self.takes_cards = showing is not None
        if not self.shown:
            return
        if showing is None:
            self.ctrl.settings(self._form)
        else:
            self.ctrl.todays_showings(self._open_view)

    # -- opening one ------------------------------------------------------------------------------
    def _form(self, settings: RoomSettings) -> None:
        if not self.shown:
            return
        self.programmes = settings.showing_programmes
        body = self.body
        body.clear_widgets()
        media = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        media.add_widget(FitText(text=self.t("showings.medium"), halign="left", size_hint_x=0.7))
        for medium in ShowingMedium:
            media.add_widget(
                self.toggle(
                    self.t(f"medium.{medium.value}"),
                    self.medium is medium,
                    lambda m=medium: self._set(medium=m),
                )
            )
        body.add_widget(media)
        grid = GridLayout(cols=3, spacing=px(6))
        for title in self.programmes:
            grid.add_widget(self.toggle(title, self.content == title, lambda c=title: self._set(content=c)))
        body.add_widget(grid)
        when = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        when.add_widget(FitText(text=self.t("showings.starts"), halign="left", size_hint_x=0.7))
        when.add_widget(self.toggle("−5", False, lambda: self._set(starts_at=self.starts_at - STEP)))
        when.add_widget(self.toggle(self.time(self.starts_at), True, lambda: None))
        when.add_widget(self.toggle("+5", False, lambda: self._set(starts_at=self.starts_at + STEP)))
        body.add_widget(when)
        body.add_widget(
            button(
                "▶ " + self.t("showings.start"),
                theme.GOOD if self.content else theme.TOGGLE_OFF,
                self._open,
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )

    def _set(
        self,
        medium: ShowingMedium | None = None,
        content: str | None = None,
        starts_at: datetime | None = None,
    ) -> None:
        self.medium = medium or self.medium
        self.content = content or self.content
        self.starts_at = starts_at or self.starts_at
        self.ctrl.settings(self._form)

    def _open(self) -> None:
        if self.content is None:
            self.banner.show(self.t("showings.pick_content"), "warn")
            return
        self.ctrl.open_showing(
            self.session.staff_id,
            self.medium,
            self.content,
            self.starts_at,
            lambda _: self.ctrl.showing_now(self._now),
        )

    # -- while it is on ---------------------------------------------------------------------------
    def _open_view(self, today: list[ShowingRecord]) -> None:
        showing = self.showing
        if not self.shown or showing is None:
            return
        record = next((r for r in today if r.showing_id == showing.showing_id), None)
        viewers = record.viewers if record else []
        body = self.body
        body.clear_widgets()
        panel = Panel(orientation="vertical", size_hint_y=None, height=px(96))
        panel.add_widget(
            FitText(text=self.t("showings.on", content=showing.content), font_size=px(theme.FONT_BIG))
        )
        medium = self.t(f"medium.{showing.medium.value}")
        panel.add_widget(
            FitText(
                text=self.t(
                    "showings.on_detail", medium=medium, time=self.time(showing.starts_at), count=len(viewers)
                ),
                color=theme.INK_SOFT,
            )
        )
        body.add_widget(panel)
        table = Table(
            [self.t(h) for h in ("col.time", "col.class", "col.name")],
            (0.8, 1.6, 1.2),
            self.t("showings.tap_to_join"),
        )
        table.show([(self.time(v.joined_at), v.class_name, v.name) for v in viewers])
        body.add_widget(table)
        body.add_widget(
            button(
                "■ " + self.t("showings.stop"),
                theme.LEAVE,
                lambda: self.ctrl.close_showing(self.session.staff_id, self._closed),
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )

    def on_card(self, uid: str) -> None:
        self.child_of_card(uid, self._join)

    def _join(self, child: ChildSummary) -> None:
        showing = self.showing
        if showing is None:
            return

        def joined(_: OpenShowing) -> None:
            self.banner.show(self.t("showings.joined", name=child.name), "good")
            self.ctrl.showing_now(self._now)

        self.ctrl.join_showing(child.id, showing.showing_id, joined, self.refused)

    def _closed(self, watched: int) -> None:
        if self.shown:
            self.banner.show(self.t("showings.closed", count=watched), "good")
            self.ctrl.showing_now(self._now)

    # -- today's register -------------------------------------------------------------------------
    def _register(self, records: list[ShowingRecord]) -> None:
        if not self.shown:
            return
        self.takes_cards = False
        self.body.clear_widgets()
        table = Table(
            [
                self.t(h)
                for h in ("col.time", "col.content", "col.medium", "col.viewers_count", "col.viewers")
            ],
            (0.7, 1.4, 0.6, 0.6, 2.2),
            self.t("admin.none"),
        )
        table.show(
            [
                (
                    self.time(r.starts_at),
                    r.content,
                    self.t(f"medium.{r.medium.value}"),
                    str(len(r.viewers)),
                    "、".join(v.name for v in r.viewers),
                )
                for r in records
            ]
        )
        self.body.add_widget(table)


def _rounded(moment: datetime) -> datetime:
    """Now, to the next five minutes: the time a showing is usually announced for."""
    extra = (-moment.minute % 5) * 60 - moment.second
    return (moment + timedelta(seconds=extra)).replace(microsecond=0)
