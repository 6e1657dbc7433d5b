"""Enrolment typed on the touchscreen: the server's address and the office's code, on big keys.

An installed kiosk has no keyboard, and the school may have no QR scanner; the office's 自助机 page
shows both values as text too. The same form re-enrols a kiosk as a new device from administrator
mode (sync.client.new_identity). A scanner still works while the form is open: the app hands the
scanned `liushou-enrol:` text to `take_scan`, which fills both fields and sends them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.modalview import ModalView

from kiosk.services.enrolment import EnrolmentScan
from kiosk.ui import theme
from kiosk.ui.markup import bold
from kiosk.ui.widgets import FitText, KButton, Panel, button, px

KEY_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm.:/")
ADDRESS_START = "https://"
MAX_ADDRESS = 200  # SyncState.server_url
MAX_CODE = 24  # the office's codes are 11 characters with the dash; room for spaces typed by hand


class TextKeys(GridLayout):
    """Letters, digits and the few signs an address needs, ten to a row: 80 px wide keys on the
    800 px screen, never under the 48 px a finger needs."""

    def __init__(self, on_key: Callable[[str], None], **kwargs: Any) -> None:
        kwargs.setdefault("cols", 10)
        kwargs.setdefault("spacing", px(4))
        super().__init__(**kwargs)
        self.keys: list[KButton] = []
        for row in KEY_ROWS:
            for key in row:
                b = button(
                    key, theme.PRIMARY, lambda k=key: on_key(self._shown(k)), font_size=px(theme.FONT_BIG)
                )
                self.keys.append(b)
                self.add_widget(b)
        self.capitals = False

    def show_capitals(self, capitals: bool) -> None:
        """Capitals for the code (as the office prints it), small letters for an address."""
        self.capitals = capitals
        for b in self.keys:
            b.text = b.text.upper() if capitals else b.text.lower()

    def _shown(self, key: str) -> str:
        return key.upper() if self.capitals else key


class EnrolmentForm(ModalView):
    """Two fields, a keyboard and 登记. `on_send` gets what was typed; the app enrols with it and
    calls `refused` or closes the form."""

    def __init__(
        self,
        t: Callable[..., str],
        title: str,
        explanation: str,
        on_send: Callable[[EnrolmentScan], None],
        server: str | None = None,
        **kwargs: Any,
    ) -> None:
        """`server`: the address the kiosk already knows (its settings, or the server it syncs with),
        so that only the code is left to type."""
        kwargs.setdefault("size_hint", (1, 1))
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)
        self._t = t
        self._on_send = on_send
        self.values = {"server": server or ADDRESS_START, "code": ""}
        self.active = "code"
        box = Panel(orientation="vertical", spacing=px(4), padding=(px(8), px(6)))
        header = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        header.add_widget(FitText(text=bold(title), font_size=px(theme.FONT_BIG), halign="left"))
        header.add_widget(
            button(t("keypad.cancel"), theme.NEUTRAL, self.dismiss, size_hint_x=None, width=px(130))
        )
        box.add_widget(header)
        self.explanation = FitText(
            text=explanation,
            font_size=px(theme.FONT_SMALL),
            size_hint_y=None,
            height=px(24),
            color=theme.INK_SOFT,
        )
        box.add_widget(self.explanation)
        self.fields: dict[str, KButton] = {}
        for name in ("server", "code"):
            field = button("", theme.NEUTRAL, lambda n=name: self.choose(n), size_hint_y=None, height=px(50))
            field.halign = "left"
            self.fields[name] = field
            box.add_widget(field)
        self.keys = TextKeys(self._type)
        box.add_widget(self.keys)
        actions = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        actions.add_widget(button(t("keypad.clear"), theme.NEUTRAL, self._clear))
        actions.add_widget(button("←", theme.NEUTRAL, self._back, font_size=px(theme.FONT_TITLE)))
        self.send_button = button(t("enrol.send"), theme.GOOD, self._send)
        actions.add_widget(self.send_button)
        box.add_widget(actions)
        self.add_widget(box)
        self.choose("code")

    # -- typing ------------------------------------------------------------------------------------
    def choose(self, name: str) -> None:
        self.active = name
        self.keys.show_capitals(name == "code")
        self._show()

    def _type(self, key: str) -> None:
        limit = MAX_ADDRESS if self.active == "server" else MAX_CODE
        if len(self.values[self.active]) < limit:
            self.values[self.active] += key
            self._show()

    def _back(self) -> None:
        self.values[self.active] = self.values[self.active][:-1]
        self._show()

    def _clear(self) -> None:
        self.values[self.active] = ""
        self._show()

    def _show(self) -> None:
        for name, field in self.fields.items():
            label = self._t(f"enrol.field_{name}")
            cursor = "▏" if name == self.active else ""
            field.text = f"{label}：{self.values[name]}{cursor}"
            field.fill = list(theme.BOOKS if name == self.active else theme.NEUTRAL)

    # -- sending -----------------------------------------------------------------------------------
    def take_scan(self, scan: EnrolmentScan) -> None:
        """The office's QR code read by a scanner while the form is open: both fields at once."""
        self.values = {"server": scan.server, "code": scan.code}
        self._show()
        self._send()

    def _send(self) -> None:
        server, code = self.values["server"].strip(), self.values["code"].strip()
        if server in ("", ADDRESS_START) or not code:
            self.explanation.text = self._t("enrol.fill_both")
            self.explanation.color = theme.BAD
            self.choose("server" if server in ("", ADDRESS_START) else "code")
            return
        self.explanation.text = self._t("enrol.working")
        self.explanation.color = theme.INK_SOFT
        self._on_send(EnrolmentScan(server, code))

    def refused(self, message: str) -> None:
        """The server or the network said no: the form stays, with what was typed, and says why."""
        self.explanation.text = message
        self.explanation.color = theme.BAD
