"""The kiosk's two inputs besides touch, routed to the showing screen: card taps (from the reader pump,
or a keyboard-wedge reader through the hub) and what the barcode scanner types.

Every complete scan is answered: a barcode goes to the screen that takes one, or the screen says where
scanning is used; a code nobody can use (hardware.base.UnreadableCode) is answered "try again" while
the hub logs its shape. A scan that comes while a card tap is still being answered (the child tapped
and scanned her book at once, and the database is slow today) waits for the screen the tap opens.

Key events are stamped by `KeyArrival`, so a scanner's keys held up by a slow frame (a new screen
being built) keep their code together.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from hardware.base import CardTap, Scan, UnreadableCode
from kiosk.services import signin
from kiosk.ui.keys import KeyArrival, wedge_key
from kiosk.ui.screens.base import KioskScreen

if TYPE_CHECKING:
    from kiosk.ui.controller import KioskController
    from kiosk.ui.reader_pump import Readers
    from kiosk.ui.timers import Inactivity

log = logging.getLogger(__name__)
HOLD_SCANS_SECONDS = 5.0  # how long a scan waits for the screen of a card tap still being answered


class KeyTaker(Protocol):
    """Enrolment, which reads every key first while it waits for the office's code."""

    def takes_keys(self) -> bool: ...

    def key(self, fed: str) -> bool: ...


class InputHost(Protocol):
    readers: Readers | None
    ctrl: KioskController
    ctrl_ready: bool
    inactivity: Inactivity
    enrolment: KeyTaker
    idle_screen: KioskScreen  # the public 请刷卡 screen

    def showing(self) -> KioskScreen | None:
        """The screen on view now."""
        ...

    def show_tap(self, result: signin.TapResult) -> None: ...

    def refuse(self, message: str) -> None:
        """Say "not now" on the showing screen (the central place a refusal is shown and sounded)."""
        ...

    def t(self, key: str, **params: Any) -> str: ...

    def schedule(self, fn: Callable[[], None], seconds: float) -> None: ...


class Inputs:
    def __init__(self, host: InputHost) -> None:
        self._host = host
        self.key_arrival = KeyArrival()
        self._tap_answered_by: float | None = None  # a card tap is on its way to a screen until then
        self._held_scans: list[Scan] = []

    def new_frame(self) -> None:
        """Once a frame (a Clock interval of 0): the loop looked at the keyboard again."""
        self.key_arrival.new_frame()

    # -- card taps --------------------------------------------------------------------------------
    def tap(self, tap: CardTap) -> None:
        host = self._host
        host.inactivity.poke()
        screen = host.showing()
        if screen is not None and screen.on_card(tap.uid):
            return
        if host.ctrl_ready:
            self._tap_answered_by = time.monotonic() + HOLD_SCANS_SECONDS
            host.schedule(self._release_held_scans, HOLD_SCANS_SECONDS)  # should the answer never come
            host.ctrl.tap_card(tap.uid, self._tapped)

    def _tapped(self, result: signin.TapResult) -> None:
        self._host.show_tap(result)
        self._release_held_scans()

    def _release_held_scans(self) -> None:
        """Scans that came while a tap was being answered, for the screen it opened."""
        self._tap_answered_by = None
        held, self._held_scans = self._held_scans, []
        for scan in held:
            self.scan(scan)

    # -- the scanner ------------------------------------------------------------------------------
    def scan(self, scan: Scan) -> None:
        """A barcode, for the screen (or administrator's page) that says it takes one; elsewhere the
        screen says where scanning is used (a book scanned on 请刷卡 has no child to lend to)."""
        host = self._host
        host.inactivity.poke()
        if self._tap_answered_by is not None and time.monotonic() < self._tap_answered_by:
            self._held_scans.append(scan)
            return
        screen = host.showing()
        if screen is not None and screen.takes_scans:
            screen.on_scan(scan.code)
            return
        log.info("a barcode scanned on %s, which takes none", screen.name if screen else "no screen")
        host.refuse(host.t("scan.tap_card_first" if screen is host.idle_screen else "scan.not_here"))

    def unreadable(self, _code: UnreadableCode) -> None:
        """A complete code nobody can use (the hub logged its shape): "try again", in words."""
        self._host.inactivity.poke()
        self._host.refuse(self._host.t("scan.unreadable"))

    def key_down(self, key: int, codepoint: str | None, mods: Any) -> bool:
        """Every key goes to the hub: wedge card numbers come back as taps through the pump, barcodes
        and unreadable codes come back here at once, and a person's typing is ignored."""
        host = self._host
        fed = wedge_key(key, codepoint, mods)
        if fed is None:  # Shift, Caps Lock …: part of a scanner's typing, not a break in it
            return False
        if host.enrolment.takes_keys() and host.enrolment.key(fed):
            return True
        if host.readers is None:
            return False
        answer = host.readers.feed_key(fed, self.key_arrival.stamp(time.monotonic()))
        if isinstance(answer, Scan):
            self.scan(answer)
        elif isinstance(answer, UnreadableCode):
            self.unreadable(answer)
        return answer is not None
