"""今日通话: today's calls, both ways (a call home, or a parent ringing the 亲情热线)."""

from __future__ import annotations

from db.enums import CallDirection
from kiosk.services.reports import CallLine
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class CallsPage(Page):
    page = AdminPage.CALLS

    def build(self) -> None:
        table = self.table(
            "admin.calls_today",
            ("col.time", "col.class", "col.name", "col.callee", "col.kind", "col.minutes"),
            (0.8, 1.5, 1.1, 1.2, 1.1, 0.7),
        )

        def show(rows: list[CallLine]) -> None:
            table.show(
                [
                    (
                        self.time(c.started_at),
                        c.class_name,
                        c.child_name,
                        self.t(f"relation.{c.relation.value}"),
                        self.t(
                            "kind.incoming"
                            if c.direction is CallDirection.INCOMING
                            else f"kind.{c.kind.value}"
                        ),
                        str(int((c.ended_at - c.started_at).total_seconds() // 60))
                        if c.ended_at
                        else self.t("admin.open_call"),
                    )
                    for c in rows
                ]
            )

        self.ctrl.calls_today(show)
