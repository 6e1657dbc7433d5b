"""盘点: scan everything on the shelf; the report lists unexpected items first, then what is missing.

Takes barcodes (the scanner, or the keypad for a label it cannot read). A stocktake left open by a
power cut is carried on, not started again.
"""

from __future__ import annotations

import uuid

from kivy.uix.boxlayout import BoxLayout

from kiosk.services.stocktake import ScanOutcome, StocktakeReport
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Panel, Table, Text, button, px

UNEXPECTED_TINT = (1, 0.97, 0.85, 1)
MISSING_TINT = (1, 0.93, 0.9, 1)


class StocktakePage(Page):
    page = AdminPage.STOCKTAKE
    takes_scans = True

    def build(self) -> None:
        self.stocktake_id: uuid.UUID | None = None
        self.body = self.frame("admin.stocktake")
        self.ctrl.begin_stocktake(self.session.staff_id, self._ready)

    def _ready(self, stocktake_id: uuid.UUID) -> None:
        self.stocktake_id = stocktake_id
        if not self.shown:
            return
        self.body.clear_widgets()
        panel = Panel(orientation="vertical")
        panel.add_widget(Text(text=self.t("stocktake.hint"), halign="center", font_size=px(theme.FONT_BIG)))
        self.counter = FitText(text="", font_size=px(theme.FONT_TITLE), color=theme.PRIMARY)
        panel.add_widget(self.counter)
        self.last = FitText(font_size=px(theme.FONT_BODY))
        panel.add_widget(self.last)
        self.body.add_widget(panel)
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        row.add_widget(button(self.t("loans.type_code"), theme.NEUTRAL, self.screen.open_code_keypad))
        row.add_widget(button(self.t("stocktake.finish"), theme.GOOD, self._finish))
        self.body.add_widget(row)
        self.ctrl.stocktake_count(stocktake_id, self._count)

    def _count(self, count: int) -> None:
        if self.shown:
            self.counter.text = self.t("stocktake.count", count=count)

    def on_scan(self, code: str) -> None:
        if self.stocktake_id is not None:
            self.ctrl.stocktake_scan(self.stocktake_id, code, self._scanned)

    def _scanned(self, outcome: ScanOutcome) -> None:
        if not self.shown:
            return
        self._count(outcome.scanned_count)
        if outcome.title is None:
            self.banner.show(self.t("stocktake.unknown", barcode=outcome.barcode), "warn")
        elif not outcome.expected:
            self.banner.show(self.t("stocktake.unexpected", title=outcome.title), "warn")
        else:
            self.banner.show("")
        self.last.text = f"{outcome.barcode}  {outcome.title or ''}"

    def _finish(self) -> None:
        if self.stocktake_id is not None:
            self.ctrl.finish_stocktake(self.stocktake_id, self.session.staff_id, self._report)

    def _report(self, report: StocktakeReport) -> None:
        self.stocktake_id = None
        if not self.shown:
            return
        self.body.clear_widgets()
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
        tints = [UNEXPECTED_TINT] * len(report.unexpected) + [MISSING_TINT] * len(report.missing)
        table.show(rows, tints or None)
        self.body.add_widget(table)

    def forget(self) -> None:
        self.screen.close_code_keypad()
