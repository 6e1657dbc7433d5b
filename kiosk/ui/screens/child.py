"""The child's own screen after a tap: name, 签到 or 签退, birthday, a gentle call reminder, and the
choices the room offers today (kiosk.services.child_menu: a school may limit them by weekday), the
showing to join if one is on, and 家里打来电话 to log a call that came in on the 亲情热线.

The reminder, the birthday greeting and the child's place in the phone queue appear only here, on the
tapping child's own screen, and the screen forgets the child when the kiosk goes back to idle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from db.enums import ChildMenuItem
from kiosk.platform.words import contact_reminder
from kiosk.services import signin
from kiosk.services.call_queue import GoAhead, Waiting
from kiosk.services.child_menu import ChildMenu
from kiosk.services.showings import OpenShowing
from kiosk.ui import theme
from kiosk.ui.audio.cues import Phrase
from kiosk.ui.controller import Refused
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.pictures import choice_picture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Panel, Picture, button, px, tile

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class ChildScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="child", **kwargs)
        self.child_id: uuid.UUID | None = None
        self.child_name = ""
        self.signed_in = False
        root = BoxLayout(orientation="vertical", padding=px(14), spacing=px(theme.GAP))
        head = Panel(size_hint_y=None, height=px(76), padding=(px(12), px(6)))
        self.check = Picture(choice_picture("signed_in"), size_hint_x=None, width=px(60))
        self.greeting = FitText(font_size=px(theme.FONT_TITLE), halign="left")
        head.add_widget(self.check)
        head.add_widget(self.greeting)
        root.add_widget(head)
        # One band for the birthday, the reminder and what happened (a showing joined …): it keeps its
        # place, so the tiles below never move when it fills or empties.
        self.reminder = Banner()
        root.add_widget(self.reminder)
        self.tiles = BoxLayout(spacing=px(theme.GAP))
        root.add_widget(self.tiles)
        bottom = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        bottom.add_widget(
            tile(
                choice_picture("incoming"),
                self.t("menu.incoming"),
                theme.PRIMARY,
                self.app.open_incoming,
                caption_size=theme.FONT_BODY,
                beside=True,
            )
        )
        bottom.add_widget(button(self.t("menu.done"), theme.NEUTRAL, self.app.go_idle))
        root.add_widget(bottom)
        self.add_widget(root)

    def show(self, result: signin.SignedIn | signin.StillSignedIn | signin.SignedOut) -> None:
        self.child_id = result.child.id
        self.child_name = result.child.name
        name = bold(result.child.name)
        match result:
            case signin.SignedIn():
                self.signed_in = True
                self.greeting.text = self.t("tap.signed_in", name=name)
            case signin.StillSignedIn():
                self.signed_in = True
                self.greeting.text = self.t("tap.still_signed_in", name=name)
            case signin.SignedOut(minutes=minutes):
                self.signed_in = False
                self.greeting.text = self.t("tap.signed_out", name=name, minutes=minutes)
        self.check.show(choice_picture("signed_in" if self.signed_in else "sign_out"))
        birthday = isinstance(result, signin.SignedIn) and result.birthday_today
        reminder = ""
        if not isinstance(result, signin.SignedOut) and result.contact_due:
            reminder = contact_reminder(result.remind_to_call, self.app.locale)
        if birthday:
            self.reminder.show(f"★ {self.t('tap.birthday')} ★", "good")
            self.reminder.fill = list(theme.BIRTHDAY)
            self.app.sounds.say(Phrase.BIRTHDAY)
        else:
            self.reminder.show(f"☎ {reminder}" if reminder else "", "info")
        self.refresh_menu()

    def refresh_menu(self) -> None:
        if self.child_id is not None:
            self.ctrl.child_menu(self.child_id, self._menu)

    def _menu(self, menu: ChildMenu) -> None:
        """Today's choices; the call tile says where this child stands in the phone queue."""
        if self.child_id is None:
            return
        self.tiles.clear_widgets()
        if ChildMenuItem.CALL in menu.offered:
            self._tile("call", self._call_caption(menu), theme.CALL, self.app.open_call)
        if ChildMenuItem.BOOKS in menu.offered:
            self._tile("books", self.t("menu.books"), theme.BOOKS, lambda: self.app.open_loans("books"))
        if ChildMenuItem.EQUIPMENT in menu.offered:
            self._tile(
                "equipment",
                self.t("menu.equipment"),
                theme.EQUIPMENT,
                lambda: self.app.open_loans("equipment"),
            )
        if menu.showing is not None and not menu.watching:
            showing = menu.showing
            self._tile("showing", self.t("menu.showing"), theme.PRIMARY, lambda: self._join(showing))
        if self.signed_in:
            self._tile("sign_out", self.t("menu.sign_out"), theme.LEAVE, self._sign_out)

    def _tile(self, choice: str, caption: str, fill: theme.RGBA, on_press: Callable[[], None]) -> None:
        self.tiles.add_widget(tile(choice_picture(choice), caption, fill, on_press))

    def _call_caption(self, menu: ChildMenu) -> Markup:
        small = px(theme.FONT_SMALL)
        if isinstance(menu.phone, GoAhead):
            return self.t("menu.call") + "\n" + sized(self.t("queue.your_turn_short"), small)
        if isinstance(menu.phone, Waiting):
            place = self.t("queue.place_short", ticket=menu.phone.ticket, place=menu.phone.place)
            return self.t("menu.call") + "\n" + sized(place, small)
        return self.t("menu.call")

    def _join(self, showing: OpenShowing) -> None:
        if self.child_id is None:
            return

        def joined(_: OpenShowing) -> None:
            self.reminder.show(self.t("showing.joined", content=showing.content), "good")
            self.refresh_menu()

        def refused(refusal: Refused) -> None:
            self.reminder.show(refusal.message, "warn")
            self.refresh_menu()

        self.ctrl.join_showing(self.child_id, showing.showing_id, joined, refused)

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
        self.reminder.show("")
        self.tiles.clear_widgets()
