"""逾期未还: what is out past its due date, longest overdue first."""

from __future__ import annotations

from kiosk.services.reports import OverdueLoan
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class OverduePage(Page):
    page = AdminPage.OVERDUE

    def build(self) -> None:
        table = self.table(
            "admin.overdue",
            ("col.class", "col.name", "col.item", "col.barcode", "col.days"),
            (1.3, 1.0, 1.9, 1.1, 0.8),
        )

        def show(rows: list[OverdueLoan]) -> None:
            table.show([(o.class_name, o.child_name, o.title, o.barcode, str(o.days_overdue)) for o in rows])

        self.ctrl.overdue(show)
