"""What every screen shares: its host (the app, seen through `kiosk.ui.host.ScreenHost`), the
controller, translation, a header bar, and the two inputs (card taps and barcode scans) a screen may
want."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.platform.words import translate
from kiosk.ui import theme
from kiosk.ui.markup import Markup, bold, escaped
from kiosk.ui.widgets import Banner, FitText, KeypadPopup, button, px

if TYPE_CHECKING:
    from kiosk.ui.controller import KioskController
    from kiosk.ui.host import ScreenHost


class KioskScreen(Screen):
    # Which inactivity limit applies here: "child" (back to idle soon), "admin" (longer), None (never).
    timeout_kind: str | None = "child"
    code_keypad: KeypadPopup | None = None  # open over this screen (see `open_code_keypad`)
    banner: Banner | None = None  # where a refusal is said on this screen; None: the idle screen flashes it

    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app = app

    @property
    def ctrl(self) -> KioskController:
        return self.app.ctrl

    def t(self, key: str, **params: Any) -> Markup:
        """The catalogue's sentence, as markup: stored text in `params` (names, titles) escaped."""
        return Markup(translate(key, self.app.locale, **escaped(params)))

    def spoken(self, key: str, **params: Any) -> str:
        """The catalogue's sentence as plain words, for the voice (never for a label)."""
        return translate(key, self.app.locale, **params)

    @property
    def takes_scans(self) -> bool:
        """Whether a barcode scanned now is for this screen; most screens have no use for one."""
        return False

    def on_scan(self, code: str) -> None:
        """A barcode arrived while this screen is showing (only if `takes_scans`)."""

    def on_card(self, uid: str) -> bool:
        """Return True to keep a card tap for this screen (card registration); False = a normal tap."""
        return False

    def forget(self) -> None:
        """Called when the kiosk returns to idle: drop anything personal so nobody else sees it."""

    def open_code_keypad(self) -> None:
        """The keypad for a label the scanner cannot read; a typed code arrives as a scan (`on_scan`)."""
        self.open_keypad(self.t("loans.type_code"), self.on_scan, self.app.kconfig.barcode_prefixes)

    def open_keypad(self, title: str, on_submit: Callable[[str], None], prefixes: Sequence[str] = ()) -> None:
        """A keypad over the screen (a barcode, an amount); closed when the kiosk goes back to idle."""
        self.close_code_keypad()
        self.code_keypad = KeypadPopup(
            title, on_submit, self.t("keypad.ok"), self.t("keypad.clear"), self.t("keypad.cancel"), prefixes
        )
        self.code_keypad.open()

    def close_code_keypad(self) -> None:
        if self.code_keypad is not None:
            self.code_keypad.dismiss()
            self.code_keypad = None

    def header(
        self, title: str, back: Callable[[], None] | None, extra: list[Any] | None = None
    ) -> BoxLayout:
        bar = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        if back is not None:
            bar.add_widget(
                button(
                    "← " + self.t("nav.back"),
                    theme.NEUTRAL,
                    back,
                    size_hint_x=None,
                    width=px(130),
                    font_size=px(theme.FONT_BODY),
                )
            )
        bar.add_widget(FitText(text=bold(title), font_size=px(theme.FONT_TITLE), halign="left"))
        for widget in extra or []:
            bar.add_widget(widget)
        return bar
