"""借阅记录: loans, all or only those still out, by kind."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from db.enums import ItemKind
from kiosk.services.reports import BorrowRecord
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Table, px

KIND_FILTERS: dict[str, tuple[ItemKind, ...] | None] = {
    "all": None,
    "book": (ItemKind.BOOK,),
    "periodical": (ItemKind.PERIODICAL,),
    "equipment": (ItemKind.SPORTS, ItemKind.CHESS, ItemKind.OTHER),
}


class RecordsPage(Page):
    page = AdminPage.RECORDS

    def build(self) -> None:
        self.open_only = False
        self.kind = "all"
        body = self.frame("admin.records")
        self.filters = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        body.add_widget(self.filters)
        self.records = Table(
            [self.t(h) for h in ("col.date", "col.name", "col.item", "col.due", "col.status")],
            (0.8, 1.0, 2.0, 0.8, 1.0),
            self.t("admin.none"),
        )
        body.add_widget(self.records)
        self._refresh()

    def _refresh(self) -> None:
        self.filters.clear_widgets()
        for key in ("all", "open"):
            self.filters.add_widget(
                self.toggle(
                    self.t(f"records.{key}"),
                    self.open_only == (key == "open"),
                    lambda k=key: self._set(open_only=k == "open"),
                )
            )
        self.filters.add_widget(FitText(text="|", size_hint_x=None, width=px(14)))
        for key in KIND_FILTERS:
            self.filters.add_widget(
                self.toggle(self.t(f"records.kind_{key}"), self.kind == key, lambda k=key: self._set(kind=k))
            )
        self.ctrl.borrow_records(self.open_only, KIND_FILTERS[self.kind], self._show)

    def _set(self, open_only: bool | None = None, kind: str | None = None) -> None:
        if open_only is not None:
            self.open_only = open_only
        if kind is not None:
            self.kind = kind
        self._refresh()

    def _show(self, rows: list[BorrowRecord]) -> None:
        if not self.shown:
            return
        self.records.show(
            [
                (
                    fmt.short_date(r.borrowed_at.astimezone(self.app.zone).date(), self.app.locale),
                    r.child_name,
                    r.title,
                    fmt.short_date(r.due_date, self.app.locale),
                    self._status(r),
                )
                for r in rows
            ]
        )

    def _status(self, record: BorrowRecord) -> str:
        if record.returned_at is None:
            return self.t("records.out")
        condition = record.condition.value if record.condition else "ok"
        return self.t(f"condition.{condition}")
