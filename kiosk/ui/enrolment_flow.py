"""Enrolling the kiosk from its screen: at first start, and again as a new device from administrator
mode (sync.client.new_identity).

Two ways in, the same result: a scanner types the office's QR code (`liushou-enrol:?server=…&code=…`)
into the window, or a teacher types the address and code on the touchscreen's keys (EnrolmentForm).
While enrolment is awaited or the form is open, every key goes here first, so a scan is never taken
for a card number or a book's barcode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.services.enrolment import EnrolmentNeed, EnrolmentScan, Need, read_enrolment_scan
from kiosk.ui.enrolment_form import EnrolmentForm
from kiosk.ui.keys import ENTER

if TYPE_CHECKING:
    from kiosk.platform.config import KioskConfig
    from kiosk.ui.controller import KioskController, Refused
    from kiosk.ui.screens.idle import IdleScreen
    from kiosk.ui.widgets import Banner


class EnrolmentHost(Protocol):
    """What enrolment asks of the app: its words, the configured server, the controller, the public
    screen's prompt, and the band the teacher is looking at."""

    kconfig: KioskConfig
    ctrl: KioskController
    idle_screen: IdleScreen

    def t(self, key: str, **params: Any) -> str: ...

    def current_banner(self) -> Banner:
        """The showing screen's band (an administrator's page), or the idle screen's."""
        ...


class EnrolmentFlow:
    def __init__(self, app: EnrolmentHost) -> None:
        self.app = app
        self.awaiting = False  # an installed kiosk's first start (kiosk.services.enrolment)
        self.identity_lost = False  # a backup on a new SD card: enrolled once, token gone
        self.form: EnrolmentForm | None = None
        self._typed: list[str] = []
        self._as_new_device = False
        self._then: Callable[[], None] | None = None

    # -- at start ------------------------------------------------------------------------------------
    def show_first_start(self, need: EnrolmentNeed | None) -> None:
        t = self.app.t
        if need is None:
            return
        if need.need is Need.FIRST:
            self.awaiting = True
            self.app.idle_screen.show_prompt(
                t("enrol.not_yet"), t("enrol.scan_the_code"), (t("enrol.type_instead"), self.open_form)
            )
            return
        self.identity_lost = True  # children may go on signing in; the button is for the teacher
        self.app.idle_screen.show_prompt(
            t("idle.tap_card"),
            t("enrol.identity_lost"),
            (t("enrol.new_device"), lambda: self.open_form(as_new_device=True, server=need.server_url)),
        )

    # -- the form ------------------------------------------------------------------------------------
    def open_form(
        self, as_new_device: bool = False, server: str | None = None, then: Callable[[], None] | None = None
    ) -> None:
        """`server`: prefilled (else the kiosk's configured server_url); `then`: after it worked."""
        t = self.app.t
        self._as_new_device, self._then = as_new_device, then
        title, explanation = (
            (t("enrol.new_device"), t("enrol.new_device_explain"))
            if as_new_device
            else (t("enrol.form_title"), t("enrol.form_explain"))
        )
        server = server or self.app.kconfig.server_url
        self.form = EnrolmentForm(t, title, explanation, self._send, server)
        self.form.bind(on_dismiss=lambda *_: self._closed())
        self.form.open()

    def _closed(self) -> None:
        self.form = None

    def forget(self) -> None:
        """Administrator mode timed out: its re-enrolment form must not stay over the public screen.
        The first start's form stays: nobody else can use the kiosk until it is enrolled."""
        if self.form is not None and self._as_new_device:
            self.form.dismiss()

    # -- keys ------------------------------------------------------------------------------------------
    def takes_keys(self) -> bool:
        return self.awaiting or self.identity_lost or self.form is not None

    def key(self, fed: str) -> bool:
        """Collect what a scanner types until Enter; True when it was the office's code."""
        if fed != ENTER:
            if len(fed) == 1:
                self._typed.append(fed)
            return False
        text, self._typed = "".join(self._typed), []
        scan = read_enrolment_scan(text)
        if scan is None:
            return False
        if self.form is not None:
            self.form.take_scan(scan)
        else:
            self._as_new_device, self._then = self.identity_lost, None
            self._send(scan)
        return True

    # -- sending ---------------------------------------------------------------------------------------
    def _send(self, scan: EnrolmentScan) -> None:
        as_new_device = self._as_new_device
        self._band(self.app.t("enrol.working"), "info")
        self.app.ctrl.enrol(
            scan, lambda _: self._enrolled(as_new_device), self._refused, as_new_device=as_new_device
        )

    def _enrolled(self, as_new_device: bool) -> None:
        if self.form is not None:
            self.form.dismiss()
        if self._then is not None:
            self._then()
        t = self.app.t
        if as_new_device:
            if self.identity_lost:
                self.identity_lost = False
                self.app.idle_screen.show_prompt(t("idle.tap_card"), t("idle.hint"))
            self._band(t("enrol.new_device_done"), "good")
            return
        self.awaiting = False
        self.app.idle_screen.show_prompt(t("idle.tap_card"), t("idle.hint"))
        self.app.idle_screen.banner.show(t("enrol.done"), "good")

    def _refused(self, refused: Refused) -> None:
        if self.form is not None:
            self.form.refused(refused.message)
        else:
            self.app.idle_screen.banner.show(refused.message, "bad")

    def _band(self, message: str, tone: str) -> None:
        """The message where the teacher looks: the open page's band, or the idle screen's."""
        self.app.current_banner().show(message, tone)
