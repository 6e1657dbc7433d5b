"""管理员 mode: today's visits and calls, borrow records, overdue items, who is due a family call (only
here, behind the PIN), stocktake, card registration, sync status, settings, opening and closing the room.
Leaves by itself after inactivity (the app's admin timeout)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.scrollview import ScrollView

from db.enums import ContactCadence, ItemKind
from kiosk.services import reports
from kiosk.services.contact_due import ContactDue
from kiosk.services.room import RoomClosedSummary, RoomStatus
from kiosk.services.settings import RoomSettings
from kiosk.services.signin import ChildSummary
from kiosk.services.staff import StaffSession
from kiosk.services.stocktake import ScanOutcome, StocktakeReport
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, KButton, Panel, Table, Text, button, px, tile
from sync.status import SyncStatus

KIND_FILTERS: dict[str, tuple[ItemKind, ...] | None] = {
    "all": None,
    "book": (ItemKind.BOOK,),
    "periodical": (ItemKind.PERIODICAL,),
    "equipment": (ItemKind.SPORTS, ItemKind.CHESS, ItemKind.OTHER),
}


class AdminScreen(KioskScreen):
    timeout_kind = "admin"

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, name="admin", **kwargs)
        self.session: StaffSession | None = None
        self.page = "home"
        self.room: RoomStatus | None = None
        self.stocktake_id: uuid.UUID | None = None
        self.stock_count = 0
        self.new_card: str | None = None
        self.records_open_only = False
        self.records_kind = "all"
        self.root_box = BoxLayout(orientation="vertical", padding=px(12), spacing=px(8))
        self.add_widget(self.root_box)

    def start(self, session: StaffSession, page: str = "home") -> None:
        self.session = session
        self.show_page(page)

    def show_page(self, page: str) -> None:
        self.page = page
        self.root_box.clear_widgets()
        getattr(self, f"_page_{page}")()

    def _frame(self, title_key: str, extra: list[Any] | None = None) -> BoxLayout:
        """Header with 返回 to the admin menu, a banner, and the page's body box (returned)."""
        self.root_box.add_widget(self.header(self.t(title_key), lambda: self.show_page("home"), extra))
        self.banner = Banner()
        self.root_box.add_widget(self.banner)
        body = BoxLayout(orientation="vertical", spacing=px(8))
        self.root_box.add_widget(body)
        return body

    # -- home -------------------------------------------------------------------------------------
    def _page_home(self) -> None:
        name = self.session.name if self.session else ""
        logout = button(
            self.t("admin.logout"),
            theme.LEAVE,
            self.app.go_idle,
            size_hint_x=None,
            width=px(150),
            font_size=px(theme.FONT_BODY),
        )
        bar = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        bar.add_widget(
            FitText(
                text=f"[b]{self.t('admin.menu')}[/b] · {self.t('admin.welcome', name=name)}",
                font_size=px(theme.FONT_BIG),
                halign="left",
            )
        )
        bar.add_widget(logout)
        self.root_box.add_widget(bar)
        self.banner = Banner()
        self.root_box.add_widget(self.banner)
        grid = GridLayout(cols=4, spacing=px(8))
        entries: Sequence[tuple[str, str, theme.RGBA, Callable[[], None]]] = (
            ("✔", "admin.visits_today", theme.PRIMARY, lambda: self.show_page("visits")),
            ("☎", "admin.calls_today", theme.CALL, lambda: self.show_page("calls")),
            ("书", "admin.records", theme.BOOKS, lambda: self.show_page("records")),
            ("!", "admin.overdue", theme.BAD, lambda: self.show_page("overdue")),
            ("♥", "admin.contact_due_short", theme.BIRTHDAY, lambda: self.show_page("contact_due")),
            ("▦", "admin.stocktake", theme.EQUIPMENT, lambda: self.show_page("stocktake")),
            ("◆", "admin.register_card", theme.PRIMARY, lambda: self.show_page("register")),
            ("↑↓", "admin.sync", theme.NEUTRAL, lambda: self.show_page("sync")),
            ("≡", "admin.settings", theme.NEUTRAL, lambda: self.show_page("settings")),
        )
        for icon, key, colour, action in entries:
            grid.add_widget(
                tile(icon, self.t(key), colour, action, icon_size=30, caption_size=theme.FONT_BODY)
            )
        self.room_tile = tile(
            "◎",
            self.t("admin.open_room"),
            theme.CALL,
            self._toggle_room,
            icon_size=30,
            caption_size=theme.FONT_BODY,
        )
        grid.add_widget(self.room_tile)
        self.root_box.add_widget(grid)
        self.ctrl.room_status(self._show_room)

    def _show_room(self, status: RoomStatus) -> None:
        self.room = status
        if self.page == "home":
            key, colour = (
                ("admin.close_room", theme.LEAVE) if status.is_open else ("admin.open_room", theme.CALL)
            )
            self.room_tile.text = f"[size={int(px(30))}]◎[/size]\n{self.t(key)}"
            self.room_tile.fill = list(colour)

    def _toggle_room(self) -> None:
        if self.session is None or self.room is None:
            return
        if self.room.is_open:
            self.ctrl.close_room(self.session.staff_id, self._closed)
        else:
            self.ctrl.open_room(
                self.session.staff_id, lambda _: self._room_changed(self.t("admin.room_opened"))
            )

    def _closed(self, summary: RoomClosedSummary) -> None:
        self._room_changed(self.t("admin.room_closed", minutes=summary.minutes_open))

    def _room_changed(self, message: str) -> None:
        if self.page == "home":
            self.banner.show(message, "good")
        self.ctrl.room_status(self._show_room)
        self.app.refresh_idle()

    # -- lists ------------------------------------------------------------------------------------
    def _table_page(
        self, title_key: str, headers: Sequence[str], weights: Sequence[float], extra: list[Any] | None = None
    ) -> Table:
        body = self._frame(title_key, extra)
        table = Table([self.t(h) for h in headers], weights, self.t("admin.none"))
        body.add_widget(table)
        return table

    def _time(self, moment: Any) -> str:
        return fmt.clock_text(moment, self.app.zone) if moment else "—"

    def _page_visits(self) -> None:
        table = self._table_page(
            "admin.visits_today", ("col.time", "col.class", "col.name", "col.left_at"), (1, 1.6, 1.2, 1)
        )
        self.ctrl.visits_today(
            lambda rows: table.show(
                [
                    (self._time(v.signed_in_at), v.class_name, v.child_name, self._time(v.signed_out_at))
                    for v in rows
                ]
            )
        )

    def _page_calls(self) -> None:
        table = self._table_page(
            "admin.calls_today",
            ("col.time", "col.class", "col.name", "col.callee", "col.kind", "col.minutes"),
            (0.8, 1.5, 1.1, 1.2, 1.1, 0.7),
        )

        def show(rows: list[reports.CallLine]) -> None:
            table.show(
                [
                    (
                        self._time(c.started_at),
                        c.class_name,
                        c.child_name,
                        self.t(f"relation.{c.relation.value}"),
                        self.t(f"kind.{c.kind.value}"),
                        str(int((c.ended_at - c.started_at).total_seconds() // 60))
                        if c.ended_at
                        else self.t("admin.open_call"),
                    )
                    for c in rows
                ]
            )

        self.ctrl.calls_today(show)

    def _page_records(self) -> None:
        filters = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        for key in ("all", "open"):
            chosen = self.records_open_only == (key == "open")
            filters.add_widget(
                self._toggle(
                    self.t(f"records.{key}"),
                    chosen,
                    lambda k=key: self._records_filter(open_only=k == "open"),
                )
            )
        filters.add_widget(FitText(text="|", size_hint_x=None, width=px(14)))
        for key in KIND_FILTERS:
            filters.add_widget(
                self._toggle(
                    self.t(f"records.kind_{key}"),
                    self.records_kind == key,
                    lambda k=key: self._records_filter(kind=k),
                )
            )
        body = self._frame("admin.records")
        body.add_widget(filters)
        table = Table(
            [self.t(h) for h in ("col.date", "col.name", "col.item", "col.due", "col.status")],
            (0.8, 1.0, 2.0, 0.8, 1.0),
            self.t("admin.none"),
        )
        body.add_widget(table)

        def show(rows: list[reports.BorrowRecord]) -> None:
            table.show(
                [
                    (
                        fmt.short_date(r.borrowed_at.astimezone(self.app.zone).date(), self.app.locale),
                        r.child_name,
                        r.title,
                        fmt.short_date(r.due_date, self.app.locale),
                        self._record_status(r),
                    )
                    for r in rows
                ]
            )

        self.ctrl.borrow_records(self.records_open_only, KIND_FILTERS[self.records_kind], show)

    def _record_status(self, record: reports.BorrowRecord) -> str:
        if record.returned_at is None:
            return self.t("records.out")
        condition = record.condition.value if record.condition else "ok"
        return self.t(f"condition.{condition}")

    def _records_filter(self, open_only: bool | None = None, kind: str | None = None) -> None:
        if open_only is not None:
            self.records_open_only = open_only
        if kind is not None:
            self.records_kind = kind
        self.show_page("records")

    def _toggle(self, text: str, chosen: bool, action: Callable[[], None]) -> KButton:
        return button(
            text,
            theme.PRIMARY if chosen else theme.TOGGLE_OFF,
            action,
            color=theme.ON_COLOUR if chosen else theme.INK,
            font_size=px(theme.FONT_SMALL + 1),
        )

    def _page_overdue(self) -> None:
        table = self._table_page(
            "admin.overdue",
            ("col.class", "col.name", "col.item", "col.barcode", "col.days"),
            (1.3, 1.0, 1.9, 1.1, 0.8),
        )
        self.ctrl.overdue(
            lambda rows: table.show(
                [(o.class_name, o.child_name, o.title, o.barcode, str(o.days_overdue)) for o in rows]
            )
        )

    def _page_contact_due(self) -> None:
        table = self._table_page(
            "admin.contact_due", ("col.class", "col.name", "col.last_contact"), (1.4, 1.2, 1.6)
        )

        def show(rows: list[ContactDue]) -> None:
            table.show(
                [
                    (
                        d.class_name,
                        d.name,
                        self.t("admin.never")
                        if d.days_since is None
                        else self.t("admin.days_ago", days=d.days_since),
                    )
                    for d in rows
                ]
            )

        self.ctrl.contact_due(show)

    # -- stocktake --------------------------------------------------------------------------------
    def _page_stocktake(self) -> None:
        body = self._frame("admin.stocktake")
        self.stock_body = body
        if self.session is not None:
            self.ctrl.begin_stocktake(self.session.staff_id, self._stocktake_ready)

    def _stocktake_ready(self, stocktake_id: uuid.UUID) -> None:
        self.stocktake_id = stocktake_id
        if self.page != "stocktake":
            return
        body = self.stock_body
        body.clear_widgets()
        panel = Panel(orientation="vertical")
        panel.add_widget(Text(text=self.t("stocktake.hint"), halign="center", font_size=px(theme.FONT_BIG)))
        self.stock_counter = FitText(
            text=self.t("stocktake.count", count=self.stock_count),
            font_size=px(theme.FONT_TITLE),
            color=theme.PRIMARY,
        )
        panel.add_widget(self.stock_counter)
        self.stock_last = FitText(font_size=px(theme.FONT_BODY))
        panel.add_widget(self.stock_last)
        body.add_widget(panel)
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        row.add_widget(button(self.t("loans.type_code"), theme.NEUTRAL, self.open_code_keypad))
        row.add_widget(button(self.t("stocktake.finish"), theme.GOOD, self._finish_stocktake))
        body.add_widget(row)

    def _scanned(self, outcome: ScanOutcome) -> None:
        self.stock_count = outcome.scanned_count
        if self.page != "stocktake":
            return
        self.stock_counter.text = self.t("stocktake.count", count=outcome.scanned_count)
        if outcome.title is None:
            self.banner.show(self.t("stocktake.unknown", barcode=outcome.barcode), "warn")
        elif not outcome.expected:
            self.banner.show(self.t("stocktake.unexpected", title=outcome.title), "warn")
        else:
            self.banner.show("")
        self.stock_last.text = f"{outcome.barcode}  {outcome.title or ''}"

    def _finish_stocktake(self) -> None:
        if self.session is not None and self.stocktake_id is not None:
            self.ctrl.finish_stocktake(self.stocktake_id, self.session.staff_id, self._stock_report)

    def _stock_report(self, report: StocktakeReport) -> None:
        self.stocktake_id, self.stock_count = None, 0
        self.root_box.clear_widgets()
        self.page = "stock_report"
        body = self._frame("admin.stocktake")
        self.banner.show(
            self.t(
                "stocktake.summary",
                scanned=report.scanned_count,
                expected=report.expected_count,
                missing=len(report.missing),
                unexpected=len(report.unexpected),
            ),
            "info",
        )
        table = Table(
            [self.t(h) for h in ("col.barcode", "col.item", "col.status")], (1, 2, 1.2), self.t("admin.none")
        )
        # Unexpected first: a handful of things to put right now, not under hundreds of missing rows.
        rows = [
            (line.barcode, line.title or "?", self.t(f"stock_note.{line.note.replace(' ', '_')}"))
            for line in report.unexpected
        ]
        rows += [(line.barcode, line.title, self.t("stocktake.missing")) for line in report.missing]
        tints = [(1, 0.97, 0.85, 1)] * len(report.unexpected) + [(1, 0.93, 0.9, 1)] * len(report.missing)
        table.show(rows, tints or None)
        body.add_widget(table)

    # -- card registration --------------------------------------------------------------------------
    def _page_register(self) -> None:
        self.new_card = None
        body = self._frame("admin.register_card")
        self.register_body = body
        panel = Panel(orientation="vertical")
        panel.add_widget(FitText(text="◆", font_size=px(64), color=theme.PRIMARY))
        panel.add_widget(Text(text=self.t("register.tap_new"), halign="center", font_size=px(theme.FONT_BIG)))
        body.add_widget(panel)

    def on_card(self, uid: str) -> bool:
        if self.page not in ("register", "register_class", "register_child"):
            return False
        self.new_card = uid
        self.ctrl.class_names(self._pick_class)
        return True

    def _pick_class(self, names: list[str]) -> None:
        self.page = "register_class"
        body = self._register_step(self.t("register.pick_class", uid=self.new_card))
        grid = GridLayout(cols=4, spacing=px(6))
        for name in names:
            grid.add_widget(
                button(
                    name,
                    theme.PRIMARY,
                    lambda n=name: self.ctrl.children_in_class(n, self._pick_child),
                    font_size=px(theme.FONT_BODY),
                )
            )
        body.add_widget(grid)

    def _pick_child(self, children: list[ChildSummary]) -> None:
        self.page = "register_child"
        body = self._register_step(self.t("register.pick_child", uid=self.new_card))
        grid = GridLayout(
            cols=4,
            spacing=px(6),
            size_hint_y=None,
            row_default_height=px(theme.TOUCH_MIN),
            row_force_default=True,
        )
        grid.bind(minimum_height=grid.setter("height"))
        self.child_buttons = [
            button(child.name, theme.BOOKS, lambda c=child: self._register(c), font_size=px(theme.FONT_BODY))
            for child in children
        ]
        for child_button in self.child_buttons:
            grid.add_widget(child_button)
        scroll = ScrollView(bar_width=px(6))
        scroll.add_widget(grid)
        body.add_widget(scroll)

    def _register_step(self, prompt: str) -> BoxLayout:
        self.register_body.clear_widgets()
        self.banner.show("")
        self.register_body.add_widget(FitText(text=prompt, size_hint_y=None, height=px(34)))
        return self.register_body

    def _register(self, child: ChildSummary) -> None:
        if self.session is None or self.new_card is None:
            return

        def done(uid: str) -> None:
            self._page_register_after(
                self.t("register.done", uid=uid, name=child.name, class_name=child.class_name)
            )

        self.ctrl.register_card(
            self.session.staff_id,
            self.new_card,
            child.id,
            done,
            lambda refused: self._page_register_after(refused.message, "bad"),
        )

    def _page_register_after(self, message: str, tone: str = "good") -> None:
        self.show_page("register")
        self.banner.show(message, tone)

    # -- sync and settings --------------------------------------------------------------------------
    def _page_sync(self) -> None:
        extra = None
        if self.ctrl.can_sync:
            self.sync_button = button(
                self.t("sync.now"),
                theme.PRIMARY,
                self._sync_now,
                size_hint_x=None,
                width=px(170),
                font_size=px(theme.FONT_BODY),
            )
            extra = [self.sync_button]
        body = self._frame("admin.sync", extra)
        self.sync_panel = Panel(orientation="vertical")
        body.add_widget(self.sync_panel)
        self.ctrl.sync_status(self._show_sync)

    def _show_sync(self, status: SyncStatus) -> None:
        if self.page != "sync":
            return
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
        if status.last_error:
            lines.append(status.last_error)
        readers = self.app.reader_status()
        if readers:
            lines.append(self.t("sync.readers", readers="; ".join(f"{k}: {v}" for k, v in readers.items())))
        self.sync_panel.clear_widgets()
        for line in lines:
            self.sync_panel.add_widget(FitText(text=line, font_size=px(theme.FONT_BIG)))

    def _sync_now(self) -> None:
        """Ask the client to sync, then read the status again once it has had a moment to try."""

        def asked(_: None) -> None:
            if self.page == "sync":
                self.banner.show(self.t("sync.requested"), "info")
                self.app.schedule(lambda: self.ctrl.sync_status(self._show_sync), 2)

        self.ctrl.sync_now(asked)

    def _page_settings(self) -> None:
        body = self._frame("admin.settings")
        self.settings_body = body
        self.ctrl.settings(self._show_settings)

    def _show_settings(self, settings: RoomSettings) -> None:
        if self.page != "settings":
            return
        body = self.settings_body
        body.clear_widgets()
        body.add_widget(
            self._setting_row(
                "settings.language",
                [
                    (label, code == self.app.locale, lambda c=code: self.app.set_locale(c))
                    for code, label in (("zh_CN", "中文"), ("en", "English"))
                ],
            )
        )
        body.add_widget(
            self._setting_row(
                "settings.cadence",
                [
                    (
                        self.t(f"cadence.{c.value}"),
                        settings.contact_cadence is c,
                        lambda c=c: self.ctrl.change_setting("contact_cadence", c.value, self._show_settings),
                    )
                    for c in ContactCadence
                ],
            )
        )
        limit = settings.call_time_limit_minutes
        body.add_widget(
            self._setting_row(
                "settings.call_limit",
                [
                    (
                        "−",
                        False,
                        lambda: self.ctrl.change_setting(
                            "call_time_limit_minutes", max(1, limit - 1), self._show_settings
                        ),
                    ),
                    (self.t("settings.minutes", minutes=limit), True, lambda: None),
                    (
                        "+",
                        False,
                        lambda: self.ctrl.change_setting(
                            "call_time_limit_minutes", limit + 1, self._show_settings
                        ),
                    ),
                ],
            )
        )
        books = settings.loan_days[ItemKind.BOOK]
        body.add_widget(
            FitText(
                text=self.t("settings.loan_days", days=books),
                size_hint_y=None,
                height=px(40),
                color=theme.INK_SOFT,
            )
        )
        body.add_widget(BoxLayout())

    def _setting_row(self, key: str, options: list[tuple[str, bool, Callable[[], None]]]) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        row.add_widget(FitText(text=self.t(key), halign="left", size_hint_x=1.3))
        for text, chosen, action in options:
            row.add_widget(self._toggle(text, chosen, action))
        return row

    # -- scans ------------------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        if self.page == "stocktake" and self.stocktake_id is not None:
            self.ctrl.stocktake_scan(self.stocktake_id, code, self._scanned)

    def forget(self) -> None:
        self.close_code_keypad()
        self.session = None
        self.new_card = None
        self.page = "home"
        self.root_box.clear_widgets()
