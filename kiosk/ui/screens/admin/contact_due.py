"""需要联系家长的孩子: only here, behind the PIN (不歧视: never on a public screen)."""

from __future__ import annotations

from kiosk.services.contact_due import ContactDue
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage


class ContactDuePage(Page):
    page = AdminPage.CONTACT_DUE

    def build(self) -> None:
        table = self.table(
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
