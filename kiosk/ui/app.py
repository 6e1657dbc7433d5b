"""The Kivy app: screens in a ScreenManager, the worker and reader threads, timers, input routing.

Threads: the UI thread runs Kivy only. Database work runs on the ServiceWorker's thread, card taps
arrive from the ReaderPump's thread (the reader hub's blocking `get`), and both come back through
Clock.schedule_once (`post`). Keyboard-wedge card readers and the barcode scanner are key events: the
UI thread hands each key to the hub's `feed_key`, which tells a machine's typing from a person's.
Timers (clock, idle refresh, inactivity, the call time limit) are Kivy Clock events on the UI thread.
Sound (kiosk.ui.audio) plays from the UI thread; sentences with a name are made on a thread of their own.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.clock import Clock, ClockEvent
from kivy.core.window import Window
from kivy.uix.screenmanager import NoTransition, ScreenManager

from db.enums import CallEnd
from hardware.base import CardTap
from kiosk.platform import watchdog
from kiosk.platform.config import KioskConfig
from kiosk.platform.words import translate
from kiosk.services import signin
from kiosk.services.calls import ClosedCall
from kiosk.services.daily_backup import DailyBackups
from kiosk.services.database_check import Restored, note_clean_stop
from kiosk.services.database_lock import release_database_lock
from kiosk.services.room_settings import RoomSettings
from kiosk.services.staff import StaffSession
from kiosk.ui import theme
from kiosk.ui.audio.room_sounds import RoomSounds
from kiosk.ui.controller import (
    IdleInfo,
    KioskController,
    Refused,
    RunningSync,
    StartSync,
    SyncLink,
    sync_status_provider,
)
from kiosk.ui.enrolment_flow import EnrolmentFlow
from kiosk.ui.inputs import Inputs
from kiosk.ui.markup import Markup, escaped
from kiosk.ui.reader_pump import ReaderPump, Readers
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.admin.screen import AdminScreen
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.call import CallScreen
from kiosk.ui.screens.child import ChildScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.incoming import IncomingScreen
from kiosk.ui.screens.letters import LettersScreen
from kiosk.ui.screens.loans import LoansScreen
from kiosk.ui.screens.pin import PinScreen
from kiosk.ui.startup import Startup
from kiosk.ui.theme import Scale
from kiosk.ui.timers import CallGuard, Inactivity
from kiosk.ui.widgets import Banner, use_scale
from kiosk.ui.worker import ServiceWorker

log = logging.getLogger(__name__)
IDLE_REFRESH_SECONDS = 30
READER_NOTE_SECONDS = 5  # how often the readers' state is compared with the note `health` reads


def post(fn: Callable[[], None]) -> None:
    """Run `fn` on the UI thread at the next frame (safe to call from any thread)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


class KioskApp(App):
    title = "留守儿童之家"
    open_retry_seconds = 10.0  # out of service: how often it tries its database again

    def __init__(
        self,
        kconfig: KioskConfig,
        startup: Startup,
        locale: str = "zh_CN",
        readers: Readers | None = None,
        sync: SyncLink | None = None,
        start_sync: StartSync | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kconfig = kconfig
        self.startup = startup
        self.locale = locale
        self.readers = readers
        self.sync = sync  # None until the kiosk is enrolled with a server
        self.start_sync = start_sync  # or: start the sync client once the database is open
        self.running_sync: RunningSync | None = None
        self.zone = ZoneInfo("Asia/Shanghai")
        self.ctrl_ready = False
        self.inactivity = Inactivity(self.go_idle)
        self.call_guard = CallGuard(self._end_call, self._call_ended)
        self.pump: ReaderPump | None = None
        self.backups: DailyBackups | None = None
        self.enrolment = EnrolmentFlow(self)  # first start, and re-enrolment as a new device
        self.worker: ServiceWorker | None = None
        self._timers: list[ClockEvent] = []
        self._retry: ClockEvent | None = None
        self.first_frame_at: float | None = None
        self.inputs = Inputs(self)
        self._noted_readers: dict[str, str] | None = None

    # -- building ---------------------------------------------------------------------------------
    def build(self) -> ScreenManager:
        Window.clearcolor = theme.BACKGROUND
        use_scale(Scale.for_window(*Window.size))
        self.worker = ServiceWorker(post)
        self.ctrl = KioskController(
            self.worker, self.locale, self._refused, self._error, sync_status_provider(self.sync), self.sync
        )
        self.sounds = RoomSounds.wired(self.locale, self.ctrl, post)  # bands and refusals are heard
        self.sm = ScreenManager(transition=NoTransition())  # a tap's answer at once, not faded in
        self._build_screens()
        Window.bind(on_key_down=self._on_key_down, on_touch_down=self._on_any_touch)
        return self.sm

    def _build_screens(self) -> None:
        self.sm.clear_widgets()
        self.idle_screen = IdleScreen(self)
        self.child_screen = ChildScreen(self)
        self.call_screen = CallScreen(self)
        self.incoming_screen = IncomingScreen(self)
        self.loans_screen = LoansScreen(self)
        self.letters_screen = LettersScreen(self)
        self.pin_screen = PinScreen(self)
        self.admin_screen = AdminScreen(self)
        for screen in (
            self.idle_screen,
            self.child_screen,
            self.call_screen,
            self.incoming_screen,
            self.loans_screen,
            self.letters_screen,
            self.pin_screen,
            self.admin_screen,
        ):
            self.sm.add_widget(screen)
        self.sm.current = "idle"

    def on_start(self) -> None:
        Clock.schedule_once(self._first_frame, 0)
        self._timers.append(Clock.schedule_interval(lambda _dt: self.inputs.new_frame(), 0))
        watchdog.notify("READY=1")  # the window is up: systemd's start is done (kiosk.platform.watchdog)
        if (every := watchdog.watchdog_interval()) is not None:
            self._timers.append(Clock.schedule_interval(lambda _dt: watchdog.notify("WATCHDOG=1"), every))
        self.idle_screen.flash(self.t("idle.starting"), "info")
        self._open_database()

    def _open_database(self) -> None:
        s = self.startup
        self.ctrl.open_database(
            s.db_path, s.clock, s.load_demo, self._database_ready, s.pin_key, self._database_refused
        )

    def _database_refused(self, refused: Refused) -> None:
        """The kiosk cannot start on its database (damaged with no backup, a read-only card, a restore
        running …): no child is invited to tap; the band says why, for the teacher, and stays until
        the reason is gone. It tries again every open_retry_seconds and starts once it can."""
        self.idle_screen.out_of_service(
            self.t("idle.out_of_service"), self.t("idle.out_of_service_hint"), refused.message
        )
        log.warning("out of service (%s), trying again in %g s", refused.code, self.open_retry_seconds)
        self._retry = Clock.schedule_once(lambda _dt: self._open_database(), self.open_retry_seconds)

    def _first_frame(self, _dt: float) -> None:
        self.first_frame_at = time.perf_counter()

    def _database_ready(self, restored: Restored | None = None) -> None:
        self.ctrl_ready = True
        if self.sync is None and self.start_sync is not None:
            self.running_sync = self.start_sync(self.ctrl.uow)
            self.sync = self.running_sync
            self.ctrl.attach_sync(self.running_sync)
        self.idle_screen.in_service()  # if it was out of service
        self.idle_screen.show_prompt(self.t("idle.tap_card"), self.t("idle.hint"))
        if restored is None:
            self.idle_screen.say("")
        else:  # stays until the next message: whoever comes first should see it and tell the teacher
            when = restored.made_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
            key, params = restored.words(when)
            message = self.t(key, **params)
            self.idle_screen.say(message, "warn")
        self.refresh_idle()
        self._timers.append(Clock.schedule_interval(lambda _dt: self.idle_screen.tick(), 1))
        self._timers.append(Clock.schedule_interval(lambda _dt: self.refresh_idle(), IDLE_REFRESH_SECONDS))
        if self.readers is not None:
            self.pump = ReaderPump(self.readers, self.handle_tap, post)
            self.pump.start()
        self._note_readers()
        self._timers.append(Clock.schedule_interval(lambda _dt: self._note_readers(), READER_NOTE_SECONDS))
        self.ctrl.first_start(self.enrolment.show_first_start)
        if self.kconfig.backups:
            self.backups = DailyBackups(self.startup.db_path, self.kconfig.backups_kept)
            self.backups.start()

    def on_stop(self) -> None:
        for timer in (*self._timers, self._retry):
            if timer is not None:
                timer.cancel()
        self.idle_screen.stop_looking()
        self.inactivity.cancel()
        Window.unbind(on_key_down=self._on_key_down, on_touch_down=self._on_any_touch)
        if self.pump is not None:
            self.pump.stop()
        if self.running_sync is not None:
            self.running_sync.stop()
        if self.backups is not None:
            self.backups.stop()
        if self.worker is not None:
            self.worker.stop()
        self.sounds.stop()
        if self.ctrl_ready:
            self.ctrl.uow.engine.dispose()
            note_clean_stop(self.startup.db_path)  # the next start need not read every page
        release_database_lock(self.startup.db_path)

    # -- helpers for screens ----------------------------------------------------------------------
    def t(self, key: str, **params: Any) -> Markup:
        return Markup(translate(key, self.locale, **escaped(params)))

    def schedule(self, fn: Callable[[], None], seconds: float) -> None:
        Clock.schedule_once(lambda _dt: fn(), seconds)

    def schedule_idle(self, seconds: float) -> None:
        self.inactivity.arm(seconds)

    def restart_inactivity(self) -> None:
        screen = self.sm.current_screen
        kind = screen.timeout_kind if isinstance(screen, KioskScreen) else None
        seconds = {"child": self.kconfig.idle_timeout_seconds, "admin": self.kconfig.admin_timeout_seconds}
        self.inactivity.arm(seconds.get(kind) if kind else None)

    def show(self, name: str) -> None:
        self.sm.current = name
        self.restart_inactivity()

    def refresh_idle(self) -> None:
        if self.ctrl_ready:
            self.ctrl.idle_info(self._idle_info)

    def _idle_info(self, info: IdleInfo) -> None:
        self.use_room_settings(info.settings)
        self.idle_screen.show_info(info)

    def use_room_settings(self, settings: RoomSettings) -> None:
        """The school's rules as last read: the time zone, the volume and quiet hours."""
        self.zone = settings.zone
        self.sounds.use(settings)

    # -- navigation -------------------------------------------------------------------------------
    def go_idle(self) -> None:
        """Forget whoever was here; the public screen shows nothing about them."""
        self.forget_everyone()
        self.show("idle")
        self.refresh_idle()

    def forget_everyone(self) -> None:
        """Clear every screen but the idle one (before the next person's screen, or going idle)."""
        for screen in self.sm.screens:
            if isinstance(screen, KioskScreen) and screen is not self.idle_screen:
                screen.forget()
        self.enrolment.forget()

    def back_to_child(self) -> None:
        if self.child_screen.child_id is None:
            self.go_idle()
        else:
            self.child_screen.refresh_menu()  # a place in the queue, a showing joined …
            self.show("child")

    def open_call(self) -> None:
        if self.child_screen.child_id is not None:
            self.call_screen.start(self.child_screen.child_id, self.child_screen.remind_to_call)
            self.show("call")

    def open_letters(self) -> None:
        if self.child_screen.child_id is not None:
            self.letters_screen.start(self.child_screen.child_id)
            self.show("letters")

    def open_incoming(self) -> None:
        if self.child_screen.child_id is not None:
            self.incoming_screen.start(self.child_screen.child_id)
            self.show("incoming")

    def open_loans(self, group: str) -> None:
        if self.child_screen.child_id is not None:
            self.loans_screen.start(self.child_screen.child_id, group)
            self.show("loans")

    def open_admin(self, session: StaffSession, page: AdminPage = AdminPage.HOME) -> None:
        self.pin_screen.forget()
        self.admin_screen.start(session, page)
        self.show("admin")

    def _end_call(
        self, call_id: uuid.UUID, reason: CallEnd, then: Callable[[ClosedCall | None], None]
    ) -> None:
        self.ctrl.end_call(call_id, reason, then)

    def _call_ended(self, call_id: uuid.UUID, closed: ClosedCall | None, timed_out: bool) -> None:
        self.call_screen.call_ended(call_id, closed, timed_out)
        self.refresh_idle()  # the phone is free: the idle screen calls the next child

    def current_banner(self) -> Banner:
        screen = self.sm.current_screen
        banner = screen.banner if isinstance(screen, KioskScreen) else None
        return banner or self.idle_screen.banner

    def _note_readers(self) -> None:
        """What the readers report, beside the database for `python -m kiosk health` (on change)."""
        if (readers := self.reader_status()) != self._noted_readers:
            self._noted_readers = readers
            self.ctrl.note_readers(readers)

    def reader_status(self) -> dict[str, str]:
        """Each reader adapter's state for the administrator ("connected", "failing: …"), if known."""
        status = getattr(self.readers, "status", None)  # ReaderHub has it; a test's FakeReader does not
        return dict(status()) if callable(status) else {}

    def set_locale(self, locale: str) -> None:
        """Switch language: rebuild the screens in the new language and come back to settings."""
        session = self.admin_screen.session
        self.locale = self.ctrl.locale = self.sounds.locale = locale
        self._build_screens()
        self.refresh_idle()
        if session is not None:
            self.open_admin(session, AdminPage.SETTINGS)

    # -- inputs (kiosk.ui.inputs routes them) --------------------------------------------------------
    def handle_tap(self, tap: CardTap) -> None:
        self.inputs.tap(tap)

    def showing(self) -> KioskScreen | None:
        screen = self.sm.current_screen
        return screen if isinstance(screen, KioskScreen) else None

    def show_tap(self, result: signin.TapResult) -> None:
        self.sounds.tapped(result)
        match result:
            case signin.SignedIn() | signin.StillSignedIn() | signin.AskSignOut():
                self.forget_everyone()  # the previous child first; no idle refresh nobody would see
                self.child_screen.show(result)
                self.show("child")
            case signin.BackToCall(child=child, call=call):
                self.forget_everyone()
                self.child_screen.show_child(child)  # 完成 on the call leads to her own menu
                self.call_screen.resume(call)
                self.show("call")
            case signin.RoomClosedTapped():
                self.go_idle()
                self.idle_screen.flash(self.t("tap.room_closed"))
            case signin.StaffCardTapped(staff_id=staff_id, name=name):
                self.forget_everyone()
                self.pin_screen.start(staff_id, name)
                self.show("pin")
            case signin.UnknownCardTapped():
                self.go_idle()
                self.idle_screen.flash(self.t("tap.unknown_card"))
            case signin.InactiveCardTapped():
                self.go_idle()
                self.idle_screen.flash(self.t("tap.inactive_card"))

    def _on_key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None, mods: Any) -> bool:
        return self.inputs.key_down(key, codepoint, mods)

    def _on_any_touch(self, _window: Any, _touch: Any) -> bool:
        self.inactivity.poke()
        return False

    # -- errors -----------------------------------------------------------------------------------
    def refuse(self, message: str) -> None:
        """ "Not now", on the showing screen's band (the idle screen's for a while); the band sounds it."""
        screen = self.sm.current_screen
        banner = screen.banner if isinstance(screen, KioskScreen) else None
        if screen is self.idle_screen or banner is None:
            self.idle_screen.flash(message)
        else:
            banner.show(message, "warn")

    def _refused(self, refused: Refused) -> None:
        self.refuse(refused.message)

    def _error(self, message: str) -> None:
        self.go_idle()
        self.idle_screen.flash(message, "bad")
        self.sounds.ask_for_teacher()
