"""排队: who holds a place for the phone, in order (names here: behind the PIN)."""

from __future__ import annotations

from kiosk.services.call_queue import QueueLine
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class QueuePage(Page):
    page = AdminPage.QUEUE

    def build(self) -> None:
        table = self.table(
            "admin.queue",
            ("col.ticket", "col.class", "col.name", "col.joined", "col.status"),
            (0.7, 1.5, 1.1, 0.8, 1.1),
        )

        def show(rows: list[QueueLine]) -> None:
            table.show(
                [
                    (
                        str(q.ticket),
                        q.class_name,
                        q.child_name,
                        self.time(q.joined_at),
                        self.t("queue.called_at", time=self.time(q.called_at))
                        if q.called_at
                        else self.t("queue.waiting"),
                    )
                    for q in rows
                ]
            )

        self.ctrl.waiting_list(show)
