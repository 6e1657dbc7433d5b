"""状态: the kiosk's health as `python -m kiosk health` reports it over SSH (kiosk.services.health):
version, database size and its last check, backups, sync, the last card tap, free space, the clock's
source and the card readers — what a technician on the phone asks the duty teacher to read out."""

from __future__ import annotations

from datetime import datetime

from kiosk.services.health import Health, size_text
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Panel, px


class HealthPage(Page):
    page = AdminPage.HEALTH

    def build(self) -> None:
        body = self.frame("admin.health")
        self.panel = Panel(orientation="vertical")
        body.add_widget(self.panel)
        readers = [f"{name}: {state}" for name, state in self.app.reader_status().items()]  # as `health`
        self.ctrl.health(readers, self._show)

    def _show(self, health: Health) -> None:
        if not self.shown:
            return
        backup_state = {None: "", True: self.t("health.backup_ok"), False: self.t("health.backup_bad")}
        lines = [
            self.t("health.version", version=health.version),
            self.t("health.database", size=size_text(health.database_bytes)),
            self.t(
                "health.checked",
                when=self._when(health.last_check_at),
                result=self.t(f"health.check_{health.last_check}") if health.last_check else "—",
            ),
            self.t(
                "health.backups",
                count=health.backups,
                when=self._when(health.newest_backup_at),
                state=backup_state[health.newest_backup_ok],
            )
            if health.backups
            else self.t("health.no_backups"),
            self.t("health.pending", count="?" if health.pending_events is None else health.pending_events),
            self.t("health.last_sync", when=self._when(health.last_sync_at)),
            self.t("health.last_tap", when=self._when(health.last_tap_at)),
            self.t("health.disk_free", size=size_text(health.disk_free_bytes)),
            self.t("health.clock", source=self.t(f"health.clock_{health.clock_kind}")),
            self.t(
                "health.readers",
                readers="; ".join(map(self._reader, health.readers)) or self.t("health.none"),
            ),
        ]
        self.panel.clear_widgets()
        for line in lines:
            self.panel.add_widget(FitText(text=line, font_size=px(theme.FONT_SMALL + 2), halign="left"))

    def _reader(self, line: str) -> str:
        """ "keyboard: working" as the technician's command says it, in the page's words: 键盘读卡器/扫码枪
        (keyboard), the state translated (a failure's reason stays as the reader gave it, and the
        reader's own name stays beside its kind: the technician reads both out)."""
        name, _, state = line.partition(": ")
        kind = f"health.reader_kind_{name}"
        if self.t(kind) != kind:
            name = self.t("health.reader_named", kind=self.t(kind), name=name)
        word = state.split(":", 1)[0]
        known = f"health.reader_{word}"
        if self.t(known) == known:
            return line
        rest = state[len(word) :].lstrip(": ")
        said = self.t("health.reader_detail", state=self.t(known), detail=rest) if rest else self.t(known)
        return self.t("health.reader_line", name=name, state=said)

    def _when(self, moment: datetime | None) -> str:
        if moment is None:
            return self.t("health.never")
        local = moment.astimezone(self.app.zone)
        return f"{fmt.short_date(local.date(), self.app.locale)} {fmt.clock_text(moment, self.app.zone)}"
