"""What a screen may ask of the app that shows it: the `ScreenHost` protocol.

Screens never import the app (`kiosk.ui.app` builds every screen, so the other way round would be a
loop); they hold a host and ask it for the few things a screen needs: the words' locale and the
school's time zone, the kiosk's settings, the controller (every service call), the timers that outlive
a screen, the room's sound (a chime, a voice prompt), and navigation between screens. `KioskApp` is
the one host in the product; a test may give a screen any object with these members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from kiosk.platform.config import KioskConfig
    from kiosk.services.room_settings import RoomSettings
    from kiosk.services.staff import StaffSession
    from kiosk.ui.audio.room_sounds import RoomSounds
    from kiosk.ui.controller import KioskController
    from kiosk.ui.screens.admin.pages import AdminPage
    from kiosk.ui.timers import CallGuard


class EnrolmentForms(Protocol):
    """The touchscreen's enrolment form, which a page may open (re-enrolment as a new device)."""

    def open_form(
        self, as_new_device: bool = False, server: str | None = None, then: Callable[[], None] | None = None
    ) -> None: ...


class ScreenHost(Protocol):
    locale: str
    zone: ZoneInfo  # the school's, as the last idle refresh read it
    kconfig: KioskConfig
    ctrl: KioskController
    ctrl_ready: bool  # the database is open: the controller may be asked
    call_guard: CallGuard
    enrolment: EnrolmentForms
    sounds: RoomSounds  # chimes and voice prompts (kiosk.ui.audio)

    # -- time ---------------------------------------------------------------------------------------
    def schedule(self, fn: Callable[[], None], seconds: float) -> None:
        """Run `fn` on the UI thread after `seconds`."""
        ...

    def schedule_idle(self, seconds: float) -> None:
        """Back to idle after `seconds` unless someone touches the screen."""
        ...

    def restart_inactivity(self) -> None:
        """Start the showing screen's own inactivity limit again (child, administrator, or none)."""
        ...

    # -- navigation ---------------------------------------------------------------------------------
    def go_idle(self) -> None: ...

    def refresh_idle(self) -> None: ...

    def back_to_child(self) -> None: ...

    def open_call(self) -> None: ...

    def open_incoming(self) -> None: ...

    def open_loans(self, group: str) -> None: ...

    def open_letters(self) -> None: ...

    def open_admin(self, session: StaffSession, page: AdminPage = ...) -> None: ...

    # -- the kiosk itself ---------------------------------------------------------------------------
    def use_room_settings(self, settings: RoomSettings) -> None:
        """The school's rules as just read or changed (time zone, volume, quiet hours): in use at once."""
        ...

    def reader_status(self) -> dict[str, str]:
        """Each card reader's state for the administrator ("connected", "failing: …")."""
        ...

    def set_locale(self, locale: str) -> None:
        """Switch the language: the screens are drawn again in it."""
        ...
