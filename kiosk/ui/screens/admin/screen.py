"""管理员 mode as one Kivy screen that shows one page at a time, chosen by `AdminPage`.

The screen holds who is logged in and which page is showing; each page draws itself and says whether
it wants card taps or barcode scans. Leaves by itself after inactivity (the app's admin timeout).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.services.staff import StaffSession
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.page_modules import PAGES
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import px

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class AdminScreen(KioskScreen):
    timeout_kind = "admin"

    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="admin", **kwargs)
        self.session: StaffSession | None = None
        self.current: Page | None = None
        self.root_box = BoxLayout(orientation="vertical", padding=px(12), spacing=px(8))
        self.add_widget(self.root_box)

    @property
    def page(self) -> AdminPage | None:
        return self.current.page if self.current else None

    @property
    def banner(self) -> Any:
        """The showing page's banner: where the app puts a refusal that has no better place."""
        return self.current.banner if self.current else None

    @property
    def takes_scans(self) -> bool:
        return self.current is not None and self.current.takes_scans

    def start(self, session: StaffSession, page: AdminPage = AdminPage.HOME) -> None:
        self.session = session
        self.show_page(page)

    def show_page(self, page: AdminPage) -> None:
        if self.current is not None:
            self.current.forget()
        self.root_box.clear_widgets()
        self.current = PAGES[page](self)
        self.current.build()

    def on_card(self, uid: str) -> bool:
        if self.current is None or not self.current.takes_cards:
            return False
        self.current.on_card(uid)
        return True

    def on_scan(self, code: str) -> None:
        if self.current is not None and self.current.takes_scans:
            self.current.on_scan(code)

    def forget(self) -> None:
        if self.current is not None:
            self.current.forget()
        self.close_code_keypad()
        self.current = None
        self.session = None
        self.root_box.clear_widgets()
