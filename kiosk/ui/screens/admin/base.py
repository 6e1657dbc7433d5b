"""What every administrator's page shares: its frame (返回 to the menu, a banner, a body), and what it
says about the two inputs besides touch — whether it takes card taps and barcode scans.

A page says so in `takes_cards` and `takes_scans` (set on the class; a page whose steps differ sets
them per step); the screen routes a tap or a scan to the page only when it said yes, so everywhere
else a card tap is a normal sign-in and a barcode is dropped, as on the public screens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.markup import Markup
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.admin.picker import ChildPicker
from kiosk.ui.widgets import Banner, KButton, Table, button, px

if TYPE_CHECKING:
    from kiosk.services.signin import ChildSummary
    from kiosk.services.staff import StaffSession
    from kiosk.ui.controller import KioskController, Refused
    from kiosk.ui.host import ScreenHost


class AdminFrame(Protocol):
    """What a page asks of the administrator's screen that shows it (`AdminScreen`), so pages and the
    screen that builds them do not import each other."""

    app: ScreenHost
    session: StaffSession | None
    current: Page | None
    root_box: BoxLayout

    def t(self, key: str, **params: Any) -> Markup: ...

    def show_page(self, page: AdminPage) -> None: ...

    def header(
        self, title: str, back: Callable[[], None] | None, extra: list[Any] | None = None
    ) -> BoxLayout: ...

    def open_code_keypad(self) -> None: ...

    def open_keypad(
        self, title: str, on_submit: Callable[[str], None], prefixes: Sequence[str] = ()
    ) -> None: ...

    def close_code_keypad(self) -> None: ...


class Page:
    """One page of administrator mode. `build` draws it into the screen's root box; answers from the
    worker arrive later, so they check `shown` before touching widgets of a page that has gone."""

    page: ClassVar[AdminPage]
    takes_cards: bool = False
    takes_scans: bool = False

    def __init__(self, screen: AdminFrame) -> None:
        self.screen = screen
        self.banner = Banner()

    # -- what the screen calls ------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def on_card(self, uid: str) -> None:
        """A card tapped while this page shows (only if `takes_cards`)."""

    def on_scan(self, code: str) -> None:
        """A barcode scanned or typed while this page shows (only if `takes_scans`)."""

    def forget(self) -> None:
        """The kiosk is going back to idle: close anything left open over the screen."""

    # -- helpers for pages ------------------------------------------------------------------------
    @property
    def app(self) -> ScreenHost:
        return self.screen.app

    @property
    def ctrl(self) -> KioskController:
        return self.screen.app.ctrl

    @property
    def session(self) -> StaffSession:
        session = self.screen.session
        assert session is not None, "administrator pages exist only behind the PIN"
        return session

    @property
    def shown(self) -> bool:
        return self.screen.current is self

    def t(self, key: str, **params: Any) -> Markup:
        return self.screen.t(key, **params)

    def go(self, page: AdminPage) -> None:
        self.screen.show_page(page)

    def frame(self, title_key: str, extra: list[Any] | None = None) -> BoxLayout:
        """Header with 返回 to the menu, the banner, and the page's body box (returned)."""
        root = self.screen.root_box
        root.add_widget(self.screen.header(self.t(title_key), lambda: self.go(AdminPage.HOME), extra))
        root.add_widget(self.banner)
        body = BoxLayout(orientation="vertical", spacing=px(8))
        root.add_widget(body)
        return body

    def bar_button(
        self, text_key: str, colour: theme.RGBA, action: Callable[[], None], width: float = 150
    ) -> KButton:
        """A button for the header bar (立即同步, 最近事件, 登记损坏 …): fixed width, beside the title."""
        return button(
            self.t(text_key), colour, action, size_hint_x=None, width=px(width), font_size=px(theme.FONT_BODY)
        )

    def table(
        self, title_key: str, headers: Sequence[str], weights: Sequence[float], extra: list[Any] | None = None
    ) -> Table:
        body = self.frame(title_key, extra)
        table = Table([self.t(h) for h in headers], weights, self.t("admin.none"))
        body.add_widget(table)
        return table

    def time(self, moment: datetime | None) -> str:
        return fmt.clock_text(moment, self.app.zone) if moment else "—"

    def toggle(self, text: str, chosen: bool, action: Callable[[], None], **kwargs: Any) -> KButton:
        kwargs.setdefault("font_size", px(theme.FONT_SMALL + 1))
        return button(
            text,
            theme.PRIMARY if chosen else theme.TOGGLE_OFF,
            action,
            color=theme.ON_COLOUR if chosen else theme.INK,
            **kwargs,
        )

    def refused(self, refused: Refused) -> None:
        if self.shown:
            self.banner.show(refused.message, "warn")

    def child_of_card(self, uid: str, then: Callable[[ChildSummary], None]) -> None:
        """A card tapped on this page: its child for `then`, or a word that it is no child's card."""

        def found(child: ChildSummary | None) -> None:
            if not self.shown:
                return
            if child is None:
                self.banner.show(self.t("emergency.not_a_child"), "warn")
            else:
                then(child)

        self.ctrl.child_by_card(uid, found)

    def pick_child(
        self, prompt_key: str, on_pick: Callable[[ChildSummary], None], body: BoxLayout
    ) -> ChildPicker:
        """Class, then name, into `body`; the prompt of each step is `prompt_key` + "_class" / "_child"."""
        picker = ChildPicker(
            self.ctrl, body, lambda step: self.t(f"{prompt_key}_{step}"), on_pick, lambda: self.shown
        )
        picker.start()
        return picker
