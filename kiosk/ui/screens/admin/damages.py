"""损坏赔偿: what was damaged or lost, by whom, what it is worth, the amount asked, paid or waived.

Tap a line to agree an amount (in yuan, on the keypad) and settle it as paid or waived. 登记损坏
records one: scan the thing (or type its label) — out on loan, it comes back as damaged or lost for
its borrower; on the shelf, pick the child who broke it. Takes scans only while recording.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout

from db.enums import DamageSettlement, ReturnCondition
from kiosk.services.damages import DamageLine
from kiosk.services.loans import CopyOnFile
from kiosk.services.signin import ChildSummary
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.markup import bold
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import BarcodePicture, FitText, Panel, Text, button, px, scrolling_grid

CONDITIONS = (ReturnCondition.DAMAGED, ReturnCondition.LOST)


class DamagesPage(Page):
    page = AdminPage.DAMAGES

    def build(self) -> None:
        record = self.bar_button("damages.record", theme.WARN, self._ask_for_item)
        self.body = self.frame("admin.damages", [record])
        self._refresh()

    def _refresh(self) -> None:
        self.takes_scans = False
        self.ctrl.damage_list(self._list)

    # -- the register -----------------------------------------------------------------------------
    def _list(self, rows: list[DamageLine]) -> None:
        if not self.shown:
            return
        self.body.clear_widgets()
        scroll, grid = scrolling_grid(1)
        for line in rows:
            grid.add_widget(
                button(
                    self._summary(line),
                    theme.WARN if line.settlement is None else theme.NEUTRAL,
                    lambda d=line: self._detail(d),
                    size_hint_y=None,
                    height=px(theme.TOUCH_MIN + 8),
                    font_size=px(theme.FONT_SMALL + 1),
                    halign="left",
                )
            )
        if not rows:
            grid.add_widget(FitText(text=self.t("admin.none"), size_hint_y=None, height=px(40)))
        self.body.add_widget(scroll)

    def _summary(self, line: DamageLine) -> str:
        day = fmt.short_date(line.recorded_at.astimezone(self.app.zone).date(), self.app.locale)
        condition = self.t(f"condition.{line.condition.value}")
        return (
            f"{day}  {line.class_name} {line.child_name} · {line.title} · {condition}\n"
            f"{self._money('damages.amount', line.amount_fen)} · {self._state(line)}"
        )

    def _state(self, line: DamageLine) -> str:
        if line.settlement is None:
            return self.t("damages.open")
        return self.t(f"settlement.{line.settlement.value}")

    def _money(self, key: str, fen: int | None) -> str:
        return self.t(key, yuan=fmt.yuan(fen) if fen is not None else "—")

    def _detail(self, line: DamageLine) -> None:
        self.body.clear_widgets()
        panel = Panel(orientation="vertical")
        condition = self.t(f"condition.{line.condition.value}")
        for text in (
            bold(line.title) + "  " + line.barcode,
            f"{line.class_name} {line.child_name} · {condition}",
            self._money("damages.value", line.value_fen),
            self._money("damages.amount", line.amount_fen),
            self._state(line),
        ):
            panel.add_widget(FitText(text=text, font_size=px(theme.FONT_BIG)))
        self.body.add_widget(panel)
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        if line.settlement is None:
            row.add_widget(button(self.t("damages.agree"), theme.PRIMARY, lambda: self._agree(line)))
            row.add_widget(
                button(self.t("damages.paid"), theme.GOOD, lambda: self._settle(line, DamageSettlement.PAID))
            )
            row.add_widget(
                button(
                    self.t("damages.waive"),
                    theme.NEUTRAL,
                    lambda: self._settle(line, DamageSettlement.WAIVED),
                )
            )
        row.add_widget(button(self.t("nav.back"), theme.NEUTRAL, self._refresh))
        self.body.add_widget(row)

    def _agree(self, line: DamageLine) -> None:
        def entered(text: str) -> None:
            self.ctrl.agree_amount(
                self.session.staff_id, line.damage_id, int(text) * 100, lambda _: self._done(), self.refused
            )

        self.screen.open_keypad(self.t("damages.amount_prompt"), entered)

    def _settle(self, line: DamageLine, settlement: DamageSettlement) -> None:
        self.ctrl.settle_damage(
            self.session.staff_id, line.damage_id, settlement, lambda _: self._done(), self.refused
        )

    def _done(self, message_key: str = "damages.saved") -> None:
        if self.shown:
            self._refresh()
            self.banner.show(self.t(message_key), "good")

    # -- recording one ----------------------------------------------------------------------------
    def _ask_for_item(self) -> None:
        self.takes_scans = True
        self.banner.show("")
        self.body.clear_widgets()
        panel = Panel(orientation="vertical")
        panel.add_widget(BarcodePicture())
        panel.add_widget(Text(text=self.t("damages.scan"), halign="center", font_size=px(theme.FONT_BIG)))
        self.body.add_widget(panel)
        self.body.add_widget(
            button(
                self.t("loans.type_code"),
                theme.NEUTRAL,
                self.screen.open_code_keypad,
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )

    def on_scan(self, code: str) -> None:
        self.ctrl.copy_on_file(code, self._item, self.refused)

    def _item(self, item: CopyOnFile) -> None:
        if not self.shown:
            return
        self.takes_scans = False
        if item.borrower_name is not None:
            self._conditions(
                self.t("damages.on_loan", title=item.title, name=item.borrower_name),
                lambda c: self.ctrl.return_for_borrower(
                    self.session.staff_id, item.barcode, c, lambda _: self._done()
                ),
            )
        else:
            self.pick_child("damages.who", lambda child: self._for_child(item, child), self.body)

    def _for_child(self, item: CopyOnFile, child: ChildSummary) -> None:
        self._conditions(
            self.t("damages.by", title=item.title, name=child.name),
            lambda c: self.ctrl.record_damage(
                self.session.staff_id, item.barcode, child.id, c, lambda _: self._done()
            ),
        )

    def _conditions(self, prompt: str, choose: Callable[[ReturnCondition], None]) -> None:
        self.body.clear_widgets()
        self.body.add_widget(Text(text=prompt, halign="center", font_size=px(theme.FONT_BIG)))
        row = BoxLayout(spacing=px(theme.GAP))
        for condition in CONDITIONS:
            colour = theme.WARN if condition is ReturnCondition.DAMAGED else theme.BAD
            row.add_widget(
                button(self.t(f"condition.{condition.value}"), colour, lambda c=condition: choose(c))
            )
        self.body.add_widget(row)

    def forget(self) -> None:
        self.screen.close_code_keypad()
