"""今日签到: who came today, when, and when they left."""

from __future__ import annotations

from kiosk.services.reports import VisitLine
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class VisitsPage(Page):
    page = AdminPage.VISITS

    def build(self) -> None:
        table = self.table(
            "admin.visits_today", ("col.time", "col.class", "col.name", "col.left_at"), (1, 1.6, 1.2, 1)
        )

        def show(rows: list[VisitLine]) -> None:
            table.show(
                [
                    (self.time(v.signed_in_at), v.class_name, v.child_name, self.time(v.signed_out_at))
                    for v in rows
                ]
            )

        self.ctrl.visits_today(show)
