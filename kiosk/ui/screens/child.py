"""The child's own screen after a tap: name, 签到 (or, on a later tap, 要签退吗？ 是 / 不是), birthday, and
the choices the room offers today (kiosk.services.child_menu: a school may limit them by weekday), the
showing to join if one is on, 家里打来电话 to log a call that came in on the 亲情热线, and 家书.

The birthday greeting, the child's place in the phone queue and the heart on her call tile (due a
family call: the words come when she taps it) appear only here, on the tapping child's own screen,
and the screen forgets the child when the kiosk goes back to idle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from db.enums import ChildMenuItem, Relation
from kiosk.services import signin
from kiosk.services.call_queue import GoAhead, Waiting
from kiosk.services.child_menu import ChildMenu
from kiosk.services.showings import OpenShowing
from kiosk.ui import theme
from kiosk.ui.audio.cues import Phrase
from kiosk.ui.controller import Refused
from kiosk.ui.markup import Markup, bold, coloured, sized
from kiosk.ui.pictures import choice_picture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Panel, Picture, button, px, tile

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost

REMINDER_MARK = "FFD1E0"  # a light pink heart on the green call tile: hers to notice, nobody else's


class ChildScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="child", **kwargs)
        self.child_id: uuid.UUID | None = None
        self.child_name = ""
        self.signed_in = False
        self.remind_to_call: tuple[Relation, ...] = ()  # due a family call: whom the call screen names
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
        self.bottom = bottom = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
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
        bottom.add_widget(
            tile(
                choice_picture("letter"),
                self.t("menu.letters"),
                theme.BOOKS,
                self.app.open_letters,
                caption_size=theme.FONT_BODY,
                beside=True,
            )
        )
        bottom.add_widget(button(self.t("menu.done"), theme.NEUTRAL, self.app.go_idle))
        root.add_widget(bottom)
        self.add_widget(root)

    def show(self, result: signin.SignedIn | signin.StillSignedIn | signin.AskSignOut) -> None:
        """The child who tapped: greeted, or asked whether she is leaving (a later tap). The call
        reminder is not said here, where anyone near can read it: it is a heart on her call tile."""
        self.show_child(result.child)
        name = bold(result.child.name)
        match result:
            case signin.SignedIn():
                self.greeting.text = self.t("tap.signed_in", name=name)
            case signin.StillSignedIn():
                self.greeting.text = self.t("tap.still_signed_in", name=name)
            case signin.AskSignOut():
                self.greeting.text = self.t("tap.ask_sign_out", name=name)
                self.check.show(choice_picture("asking"))
                self._ask_sign_out()
                return
        if isinstance(result, signin.SignedIn) and result.birthday_today:
            self.reminder.show(f"★ {self.t('tap.birthday')} ★", "good")
            self.reminder.fill = list(theme.BIRTHDAY)
            self.app.sounds.say(Phrase.BIRTHDAY)
        self.refresh_menu()

    def show_child(self, child: signin.ChildSummary) -> None:
        """Whose screen this is (her open call came back: 完成 there leads here)."""
        self._offer_more(True)
        self.child_id = child.id
        self.child_name = child.name
        self.signed_in = True
        self.check.show(choice_picture("signed_in"))
        self.greeting.text = self.t("tap.still_signed_in", name=bold(child.name))
        self.reminder.show("")
        self.remind_to_call = ()

    def _ask_sign_out(self) -> None:
        """要签退吗？ 是 / 不是: a tap meant for the menu never ends her visit by itself."""
        self.tiles.clear_widgets()
        self._tile("sign_out", self.t("sign_out.yes"), theme.LEAVE, self._sign_out)
        self._tile("stay", self.t("sign_out.no"), theme.PRIMARY, self._stay)
        self.app.sounds.say(Phrase.CHOOSE)

    def _stay(self) -> None:
        if self.child_id is not None:
            self.check.show(choice_picture("signed_in"))
            self.greeting.text = self.t("tap.still_signed_in", name=bold(self.child_name))
            self.refresh_menu()

    def refresh_menu(self) -> None:
        if self.child_id is not None:
            self.ctrl.child_menu(self.child_id, self._menu)

    def _menu(self, menu: ChildMenu) -> None:
        """Today's choices; the call tile says where this child stands in the phone queue, and bears a
        small heart when she is due a family call (the words come when she taps it)."""
        if self.child_id is None:
            return
        self.remind_to_call = menu.remind_to_call
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
        title = self.t("menu.call") + (" " + coloured("♥", REMINDER_MARK) if menu.remind_to_call else "")
        if isinstance(menu.phone, GoAhead):
            return title + "\n" + sized(self.t("queue.your_turn_short"), small)
        if isinstance(menu.phone, Waiting):
            place = self.t("queue.place_short", ticket=menu.phone.ticket, place=menu.phone.place)
            return title + "\n" + sized(place, small)
        return title

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
            self._signed_out(result)

        self.ctrl.sign_out(child_id, done)

    def _signed_out(self, result: signin.SignedOut) -> None:
        """Goodbye, and nothing more to tap: the menu is gone and the kiosk goes back to 请刷卡."""
        self.signed_in = False
        self.check.show(choice_picture("sign_out"))
        self.greeting.text = self.t("tap.goodbye", name=bold(result.child.name))
        self.reminder.show("")
        self.tiles.clear_widgets()
        self.tiles.add_widget(
            FitText(text=self.t("tap.visit_minutes", minutes=result.minutes), font_size=px(theme.FONT_TITLE))
        )
        self._offer_more(False)
        self.app.sounds.say(Phrase.SIGNED_OUT)
        self.app.schedule_idle(self.app.kconfig.message_seconds)

    def _offer_more(self, offered: bool) -> None:
        """家里打来电话了, 家书 and 完成: for a child in the room, not one who has just left."""
        self.bottom.opacity, self.bottom.disabled = (1, False) if offered else (0, True)

    def forget(self) -> None:
        self.child_id = None
        self.child_name = ""
        self.remind_to_call = ()
        self.greeting.text = ""
        self.reminder.show("")
        self.tiles.clear_widgets()
