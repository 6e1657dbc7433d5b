"""今日通话: today's calls, both ways (a call home, or a parent ringing the 亲情热线)."""

from __future__ import annotations

from db.enums import CallDirection
from kiosk.platform.words import duration_text
from kiosk.services.reports import CallLine
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class CallsPage(Page):
    page = AdminPage.CALLS

    def build(self) -> None:
        table = self.table(
            "admin.calls_today",
            ("col.time", "col.class", "col.name", "col.callee", "col.kind", "col.duration"),
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
                        duration_text(int((c.ended_at - c.started_at).total_seconds()), self.app.locale)
                        if c.ended_at
                        else self.t("admin.open_call"),
                    )
                    for c in rows
                ]
            )

        self.ctrl.calls_today(show)
