"""同步: is the kiosk connected, how much is waiting to go up, when it last worked, how far the Pi's
clock is off (it has no battery), the card readers' state, 立即同步, and 作为新设备重新登记."""

from __future__ import annotations

from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Panel, Text, px
from sync.client.status import SyncStatus


class SyncPage(Page):
    page = AdminPage.SYNC

    def build(self) -> None:
        extra = None
        if self.ctrl.can_sync:
            extra = [
                self.bar_button("enrol.new_device", theme.NEUTRAL, self._new_device, width=230),
                self.bar_button("sync.now", theme.PRIMARY, self._sync_now, width=150),
            ]
        self.server_url: str | None = None
        body = self.frame("admin.sync", extra)
        self.panel = Panel(orientation="vertical")
        body.add_widget(self.panel)
        self.ctrl.sync_status(self._show)

    def _show(self, status: SyncStatus) -> None:
        if not self.shown:
            return
        self.server_url = status.server_url
        state = (
            ("sync.online" if status.online else "sync.offline_short")
            if status.configured
            else "sync.not_configured"
        )
        last = fmt.clock_text(status.last_success_at, self.app.zone) if status.last_success_at else "—"
        lines = [
            self.t(state),
            self.t("sync.pending", count=status.pending_events),
            self.t("sync.last_success", time=last),
        ]
        if status.configured and status.server_url:
            lines.append(self.t("sync.server", url=status.server_url))
        if status.clock_offset_ms is not None:  # the Pi has no clock battery: worth a glance
            lines.append(self.t("sync.clock_offset", seconds=f"{status.clock_offset_ms / 1000:+.1f}"))
        readers = self.app.reader_status()
        if readers:
            lines.append(self.t("sync.readers", readers="; ".join(f"{k}: {v}" for k, v in readers.items())))
        # Why nothing moves, wrapped rather than cut short: the path and what to do are its point.
        # A full card first: the last error on record may be older than it.
        trouble = self.t("sync.storage_full", path=status.storage_full) if status.storage_full else None
        self.panel.clear_widgets()
        for line in lines:
            self.panel.add_widget(FitText(text=line, font_size=px(theme.FONT_BIG)))
        if trouble or status.last_error:
            self.panel.add_widget(Text(text=trouble or status.last_error, halign="center", color=theme.BAD))

    def _new_device(self) -> None:
        """A copied SD card or a restored backup that cannot go on as the device it was: enrol again
        under a new id with a fresh code from the office (kiosk.ui.enrolment_flow)."""
        self.app.enrolment.open_form(as_new_device=True, server=self.server_url, then=self._read_again)

    def _sync_now(self) -> None:
        """Ask the client to sync, then read the status again once it has had a moment to try."""

        def asked(_: None) -> None:
            if self.shown:
                self.banner.show(self.t("sync.requested"), "info")
                self._read_again()

        self.ctrl.sync_now(asked)

    def _read_again(self) -> None:
        """The status once the client has had a moment to try."""
        self.app.schedule(lambda: self.ctrl.sync_status(self._show), 2)
