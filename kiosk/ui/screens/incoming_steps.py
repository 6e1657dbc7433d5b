"""Logging a call that came in on the 亲情热线, after it ended: who rang (a big tile per person on the
child's card), then how long they talked (a few round numbers; nobody types). Shared by the child's
own screen and the administrator's hotline page, which each decide who is logging it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.services.calls import CalleeChoice
from kiosk.ui import theme
from kiosk.ui.controller import KioskController
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.pictures import relation_picture
from kiosk.ui.widgets import FitText, button, px, tile

MINUTES = (1, 3, 5, 10, 15, 20, 30, 45)
RELATION_COLOURS = {"father": theme.PRIMARY, "mother": theme.BIRTHDAY, "temporary_guardian": theme.CALL}


class IncomingSteps:
    """Draws the two steps into `body`; `on_done(caller, minutes)` when both are chosen."""

    def __init__(
        self,
        ctrl: KioskController,
        body: BoxLayout,
        t: Callable[..., str],
        on_done: Callable[[CalleeChoice, int], None],
        still_shown: Callable[[], bool],
    ) -> None:
        self._ctrl = ctrl
        self._body = body
        self._t = t
        self._on_done = on_done
        self._shown = still_shown

    def start(self, child_id: uuid.UUID) -> None:
        self._ctrl.callers(child_id, self._callers)

    def _callers(self, callers: list[CalleeChoice]) -> None:
        if not self._shown():
            return
        self._prompt(self._t("incoming.who"))
        row = BoxLayout(spacing=px(theme.GAP))
        for caller in callers:
            relation = self._t(f"relation.{caller.relation.value}")
            text = Markup("\n").join([sized(bold(relation), px(theme.FONT_TITLE)), caller.name])
            colour = RELATION_COLOURS.get(caller.relation.value, theme.CALL)
            row.add_widget(
                tile(
                    relation_picture(caller.relation),
                    text,
                    colour,
                    lambda c=caller: self._how_long(c),
                    caption_size=theme.FONT_BODY,
                )
            )
        if not callers:
            row.add_widget(FitText(text=self._t("call.no_callees")))
        self._body.add_widget(row)

    def _how_long(self, caller: CalleeChoice) -> None:
        relation = self._t(f"relation.{caller.relation.value}")
        self._prompt(self._t("incoming.how_long", who=relation))
        grid = GridLayout(cols=4, spacing=px(theme.GAP))
        for minutes in MINUTES:
            grid.add_widget(
                button(
                    self._t("settings.minutes", minutes=minutes),
                    theme.BOOKS,
                    lambda m=minutes: self._on_done(caller, m),
                )
            )
        self._body.add_widget(grid)

    def _prompt(self, text: str) -> None:
        self._body.clear_widgets()
        self._body.add_widget(
            FitText(text=text, size_hint_y=None, height=px(40), font_size=px(theme.FONT_BIG))
        )
