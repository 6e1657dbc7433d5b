"""电话排队: the calls open now and who holds a place for the phone, in order (names here: behind the PIN),
with the duty teacher's hand on both — end a call left open (the child went off without 结束通话), call
the next child when the one called does not come, move a child up or down, take one out. Every change
is the service's (kiosk.services.queue_by_teacher, calls.end_call_by_staff), named with the teacher."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout

from kiosk.platform.words import duration_text
from kiosk.services.call_queue import QueueBoard, QueueLine
from kiosk.services.calls import ClosedCall
from kiosk.services.open_calls import OpenCallLine
from kiosk.ui import theme
from kiosk.ui.markup import Markup, bold, escape
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, button, px, scrolling_grid

ROW_HEIGHT = theme.TOUCH_MIN


class QueuePage(Page):
    page = AdminPage.QUEUE

    def build(self) -> None:
        call_next = self.bar_button("queue.call_next", theme.CALL, self._call_next)
        self.body = self.frame("admin.queue", [call_next])
        self.scroll, self.grid = scrolling_grid(1)
        self.body.add_widget(self.scroll)
        self._refresh()

    def _refresh(self) -> None:
        self.ctrl.open_calls(self._calls)

    def _calls(self, calls: list[OpenCallLine]) -> None:
        if not self.shown:
            return
        self.grid.clear_widgets()
        self._heading(self.t("queue.open_calls"))
        for call in calls:
            self._call_row(call)
        if not calls:
            self._heading(self.t("admin.none"), small=True)
        self.ctrl.waiting_list(self._places)

    def _places(self, places: list[QueueLine]) -> None:
        if not self.shown:
            return
        self._heading(self.t("admin.queue"))
        for line in places:
            self._place_row(line)
        if not places:
            self._heading(self.t("admin.none"), small=True)

    # -- rows -------------------------------------------------------------------------------------
    def _heading(self, text: Markup, small: bool = False) -> None:
        size = theme.FONT_SMALL if small else theme.FONT_BODY
        self.grid.add_widget(
            FitText(
                text=text if small else bold(text),
                font_size=px(size),
                halign="left",
                color=theme.INK_SOFT if small else theme.INK,
                size_hint_y=None,
                height=px(32),
            )
        )

    def _call_row(self, call: OpenCallLine) -> None:
        relation = self.t(f"relation.{call.relation.value}")
        kind = self.t(f"kind.{call.kind.value}")
        since = self.t("queue.call_since", time=self.time(call.started_at), ends=self.time(call.ends_by))
        text = Markup(" · ").join(
            [escape(call.class_name) + " " + bold(call.child_name), relation, kind, since]
        )
        self._row(text, [(self.t("call.end_button"), theme.LEAVE, lambda: self._end_call(call))])

    def _place_row(self, line: QueueLine) -> None:
        state = (
            self.t("queue.called_at", time=self.time(line.called_at))
            if line.called_at
            else self.t("queue.waiting")
        )
        who = escape(line.class_name) + " " + bold(line.child_name)
        text = Markup(" · ").join([str(line.ticket), who, state])
        actions: list[tuple[str, theme.RGBA, Callable[[], None]]] = []
        if line.called_at is None:  # a child already called keeps her turn; the others may be moved
            actions += [
                ("↑", theme.PRIMARY, lambda: self._move(line.entry_id, up=True)),
                ("↓", theme.PRIMARY, lambda: self._move(line.entry_id, up=False)),
            ]
        actions.append((self.t("queue.remove"), theme.NEUTRAL, lambda: self._remove(line)))
        self._row(text, actions)

    def _row(self, text: Markup, actions: list[tuple[str, theme.RGBA, Callable[[], None]]]) -> None:
        row = BoxLayout(size_hint_y=None, height=px(ROW_HEIGHT), spacing=px(6))
        row.add_widget(FitText(text=text, font_size=px(theme.FONT_SMALL + 1), halign="left"))
        for label, colour, action in actions:
            width = 64 if len(label) == 1 else 120
            row.add_widget(
                button(
                    label, colour, action, size_hint_x=None, width=px(width), font_size=px(theme.FONT_BODY)
                )
            )
        self.grid.add_widget(row)

    # -- the teacher's changes --------------------------------------------------------------------
    def _end_call(self, call: OpenCallLine) -> None:
        def ended(closed: ClosedCall) -> None:
            duration = duration_text(closed.seconds, self.app.locale)
            self._done(self.t("queue.call_ended_by_staff", name=call.child_name, duration=duration))
            self.app.refresh_idle()  # the phone is free: the idle screen calls the next child

        self.ctrl.end_call_by_staff(self.session.staff_id, call.call_id, ended, self.refused)

    def _call_next(self) -> None:
        def called(board: QueueBoard) -> None:
            who = "、".join(str(c.ticket) for c in board.called)
            self._done(self.t("queue.next_called", who=who) if who else self.t("queue.waiting_for_phone"))
            self.app.refresh_idle()

        self.ctrl.call_next(self.session.staff_id, called, self.refused)

    def _move(self, entry_id: uuid.UUID, *, up: bool) -> None:
        self.ctrl.move_in_queue(self.session.staff_id, entry_id, up, lambda _: self._refresh(), self.refused)

    def _remove(self, line: QueueLine) -> None:
        def removed(_: None) -> None:
            self._done(self.t("queue.removed", name=line.child_name))
            self.app.refresh_idle()

        self.ctrl.remove_from_queue(self.session.staff_id, line.entry_id, removed, self.refused)

    def _done(self, message: str) -> None:
        if self.shown:
            self.banner.show(message, "good")
            self._refresh()
