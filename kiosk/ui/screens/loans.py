"""借书/还书 and 借器材/归还: scan a barcode, type it on the keypad, or pick from the picture list; on
return say how the thing came back (完好 / 损坏 / 丢失), because damage is compensated at its price."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.scrollview import ScrollView

from db.enums import ItemKind, ReturnCondition
from kiosk.services.loans import ChildReturn, Lendable, LoanReceipt, OnLoan
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.audio.cues import Phrase
from kiosk.ui.controller import Refused
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.pictures import condition_picture, equipment_picture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, BarcodePicture, FitText, KButton, Panel, Text, button, px, tile

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost

GROUPS: dict[str, tuple[ItemKind, ...]] = {
    "books": (ItemKind.BOOK, ItemKind.PERIODICAL),
    "equipment": (ItemKind.SPORTS, ItemKind.CHESS, ItemKind.OTHER),
}
TILE_COLOURS = (theme.BOOKS, theme.EQUIPMENT, theme.PRIMARY, theme.CALL, theme.BIRTHDAY, theme.LEAVE)
CONDITION_COLOURS = {
    ReturnCondition.OK: theme.GOOD,
    ReturnCondition.DAMAGED: theme.WARN,
    ReturnCondition.LOST: theme.BAD,
}


def short_title(title: str) -> str:
    """乒乓球拍（一副） → 乒乓球拍: the picture tile has room for the name, not the footnote."""
    return title.split("（")[0].split("(")[0] or title


class LoansScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="loans", **kwargs)
        self.child_id: uuid.UUID | None = None
        self.group = "books"
        self.mode = "borrow"
        self.my_loans: list[OnLoan] = []
        self.root_box = BoxLayout(orientation="vertical", padding=px(14), spacing=px(8))
        self.add_widget(self.root_box)

    # -- entry ------------------------------------------------------------------------------------
    def start(self, child_id: uuid.UUID, group: str) -> None:
        self.child_id, self.group, self.mode = child_id, group, "borrow"
        self._build()
        self.refresh()

    def _build(self) -> None:
        box = self.root_box
        box.clear_widgets()
        title = self.t("menu.books" if self.group == "books" else "menu.equipment")
        self.borrow_toggle = button(
            self.t("loans.mode_borrow"),
            theme.TOGGLE_OFF,
            lambda: self.set_mode("borrow"),
            size_hint_x=None,
            width=px(120),
            color=theme.INK,
        )
        self.return_toggle = button(
            self.t("loans.mode_return"),
            theme.TOGGLE_OFF,
            lambda: self.set_mode("return"),
            size_hint_x=None,
            width=px(120),
            color=theme.INK,
        )
        box.add_widget(self.header(title, self.app.back_to_child, [self.borrow_toggle, self.return_toggle]))
        self.banner = Banner()
        box.add_widget(self.banner)
        body = BoxLayout(spacing=px(theme.GAP))
        wide = self.group == "equipment"
        self.left = BoxLayout(orientation="vertical", spacing=px(8), size_hint_x=0.66 if wide else 0.58)
        right = Panel(orientation="vertical", size_hint_x=0.34 if wide else 0.42, spacing=px(6))
        right.add_widget(FitText(text=bold(self.t("loans.mine")), size_hint_y=None, height=px(32)))
        self.mine = GridLayout(cols=1, spacing=px(6), size_hint_y=None)
        self.mine.bind(minimum_height=self.mine.setter("height"))
        self.mine_scroll = ScrollView(bar_width=px(6))
        self.mine_scroll.add_widget(self.mine)
        right.add_widget(self.mine_scroll)
        body.add_widget(self.left)
        body.add_widget(right)
        box.add_widget(body)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.banner.show("")
        self.refresh()

    def refresh(self) -> None:
        self.borrow_toggle.fill = list(theme.PRIMARY if self.mode == "borrow" else theme.TOGGLE_OFF)
        self.return_toggle.fill = list(theme.PRIMARY if self.mode == "return" else theme.TOGGLE_OFF)
        self.borrow_toggle.color = theme.ON_COLOUR if self.mode == "borrow" else theme.INK
        self.return_toggle.color = theme.ON_COLOUR if self.mode == "return" else theme.INK
        if self.child_id is None:
            return
        self.ctrl.loans_of(self.child_id, self._show_mine)
        if self.mode == "borrow" and self.group == "equipment":
            self.ctrl.lendable(GROUPS["equipment"], self._show_pictures)
        else:
            self._show_scan_hint()

    # -- left side: how to say which thing ------------------------------------------------------------
    def _show_scan_hint(self) -> None:
        self.left.clear_widgets()
        key = "borrow.scan" if self.mode == "borrow" else "return.scan"
        hint = Panel(orientation="vertical")
        hint.add_widget(BarcodePicture())
        hint.add_widget(Text(text=self.t(key), font_size=px(theme.FONT_BIG), halign="center"))
        self.left.add_widget(hint)
        self.left.add_widget(self._keypad_button())

    def _show_pictures(self, items: list[Lendable]) -> None:
        if self.mode != "borrow" or self.group != "equipment":
            return
        self.left.clear_widgets()
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(8))
        row.add_widget(FitText(text=self.t("loans.pick_picture"), halign="left"))
        keypad = self._keypad_button()
        keypad.size_hint_x, keypad.width = None, px(150)
        row.add_widget(keypad)
        self.left.add_widget(row)
        grid = GridLayout(  # three across: pictures big enough to tell 跳棋 from 跳绳 at a glance
            cols=3, spacing=px(8), size_hint_y=None, row_default_height=px(132), row_force_default=True
        )
        grid.bind(minimum_height=grid.setter("height"))
        for i, item in enumerate(items):
            text = Markup("\n").join(
                [
                    short_title(item.title),
                    sized(self.t("loans.available", count=item.available), px(theme.FONT_SMALL - 2)),
                ]
            )
            grid.add_widget(
                tile(
                    equipment_picture(item.title, item.kind),
                    text,
                    TILE_COLOURS[i % len(TILE_COLOURS)],
                    lambda it=item: self._borrow_item(it),
                    caption_size=theme.FONT_SMALL,
                )
            )
        if not items:
            grid.add_widget(FitText(text=self.t("loans.none_left")))
        scroll = ScrollView(bar_width=px(6))
        scroll.add_widget(grid)
        self.left.add_widget(scroll)

    def _keypad_button(self) -> KButton:
        return button(
            self.t("loans.type_code"),
            theme.NEUTRAL,
            self.open_code_keypad,
            size_hint_y=None,
            height=px(theme.TOUCH_MIN),
        )

    # -- right side: what I have ------------------------------------------------------------------------
    def _show_mine(self, mine: list[OnLoan]) -> None:
        kinds = GROUPS[self.group]
        self.my_loans = [loan for loan in mine if loan.kind in kinds]
        self.mine.clear_widgets()
        for loan in self.my_loans:
            due = fmt.short_date(loan.due_date, self.app.locale)
            line = self.t("loans.due_overdue" if loan.overdue else "loans.due", due=due)
            text = Markup("\n").join([loan.title, sized(line, px(theme.FONT_SMALL))])
            if self.mode == "return":
                widget = button(
                    "↩ " + text,
                    theme.CALL,
                    lambda c=loan.barcode: self.ask_condition(c),
                    size_hint_y=None,
                    grow_from_height=px(72),  # a long title makes the button taller, not its words smaller
                    font_size=px(theme.FONT_BODY),
                )
            else:
                widget = Text(text=text, color=theme.BAD if loan.overdue else theme.INK)
            self.mine.add_widget(widget)
        if not self.my_loans:
            self.mine.add_widget(Text(text=self.t("loans.nothing_out"), color=theme.INK_SOFT))
        self.app.schedule(lambda: setattr(self.mine_scroll, "scroll_y", 1), 0)

    # -- doing it ---------------------------------------------------------------------------------------
    @property
    def takes_scans(self) -> bool:
        return True

    def on_scan(self, code: str) -> None:
        if self.child_id is None:
            return
        if self.mode == "borrow":
            self.ctrl.borrow_barcode(self.child_id, code, self._borrowed, self._refused)
        else:
            self.ask_condition(code)

    def _borrow_item(self, item: Lendable) -> None:
        if self.child_id is not None:
            self.ctrl.borrow_item(self.child_id, item.item_id, self._borrowed, self._refused)

    def _borrowed(self, receipt: LoanReceipt) -> None:
        if receipt.kind in GROUPS["equipment"]:
            message = self.t("borrow.done_equipment", title=receipt.title)
        else:
            message = self.t(
                "borrow.done", title=receipt.title, due=fmt.short_date(receipt.due_date, self.app.locale)
            )
        self.banner.show("✔ " + message, "good")
        self.app.sounds.say(Phrase.BORROWED)
        self.refresh()

    def ask_condition(self, code: str) -> None:
        self.left.clear_widgets()
        title = next((loan.title for loan in self.my_loans if loan.barcode == code), code)
        panel = Panel(orientation="vertical")
        panel.add_widget(Text(text=bold(title), font_size=px(theme.FONT_BIG), halign="center"))
        panel.add_widget(FitText(text=self.t("return.condition"), size_hint_y=None, height=px(34)))
        row = BoxLayout(spacing=px(8))
        for condition in ReturnCondition:
            row.add_widget(
                tile(
                    condition_picture(condition),
                    self.t(f"condition.{condition.value}"),
                    CONDITION_COLOURS[condition],
                    lambda c=condition: self._give_back(code, c),
                )
            )
        panel.add_widget(row)
        self.left.add_widget(panel)
        self.left.add_widget(
            button(
                self.t("keypad.cancel"),
                theme.NEUTRAL,
                self.refresh,
                size_hint_y=None,
                height=px(theme.TOUCH_MIN),
            )
        )

    def _give_back(self, code: str, condition: ReturnCondition) -> None:
        if self.child_id is not None:
            self.ctrl.give_back(code, condition, self.child_id, self._returned, self._refused)

    def _returned(self, told: ChildReturn) -> None:
        """Back in good order: thanks. Lost or damaged: see the teacher — never "returned", never a sum
        of money on a screen anyone near can read (the amount is on the teacher's 损坏赔偿 list)."""
        if told.see_teacher:
            self.banner.show(self.t("return.see_teacher", title=told.title), "warn")
            self.app.sounds.say(Phrase.ASK_TEACHER)
        else:
            parts = [self.t("return.done", title=told.title)]
            if told.days_overdue:
                parts.append(self.t("return.overdue", days=told.days_overdue))
            self.banner.show("✔ " + Markup(" ").join(parts), "good")
            self.app.sounds.say(Phrase.RETURNED)
        self.refresh()

    def _refused(self, refused: Refused) -> None:
        self.banner.show(refused.message, "warn")
        self.refresh()

    def forget(self) -> None:
        self.close_code_keypad()
        self.child_id = None
        self.my_loans = []
        self.root_box.clear_widgets()
