"""Recording a letter (家书) in two taps: which way it went (she wrote home, or a letter came from home),
then who it was to or from (a big tile per person on her card). Shared by the child's own screen and
the administrator's 家书 page, which each decide who is recording it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kivy.uix.boxlayout import BoxLayout

from db.enums import LetterDirection
from kiosk.services.calls import CalleeChoice
from kiosk.ui import theme
from kiosk.ui.controller import KioskController
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.pictures import choice_picture, relation_picture
from kiosk.ui.screens.incoming_steps import RELATION_COLOURS
from kiosk.ui.widgets import FitText, px, tile

DIRECTION_COLOURS = {LetterDirection.SENT: theme.BOOKS, LetterDirection.RECEIVED: theme.PRIMARY}


class LetterSteps:
    """Draws the two steps into `body`; `on_done(direction, person)` when both are chosen."""

    def __init__(
        self,
        ctrl: KioskController,
        body: BoxLayout,
        t: Callable[..., Markup],
        on_done: Callable[[LetterDirection, CalleeChoice], None],
        still_shown: Callable[[], bool],
    ) -> None:
        self._ctrl = ctrl
        self._body = body
        self._t = t
        self._on_done = on_done
        self._shown = still_shown

    def start(self, child_id: uuid.UUID) -> None:
        self._prompt(self._t("letters.which_way"))
        row = BoxLayout(spacing=px(theme.GAP))
        for direction in LetterDirection:
            row.add_widget(
                tile(
                    choice_picture("letter"),
                    self._t(f"letters.{direction.value}"),
                    DIRECTION_COLOURS[direction],
                    lambda d=direction: self._who(child_id, d),
                )
            )
        self._body.add_widget(row)

    def _who(self, child_id: uuid.UUID, direction: LetterDirection) -> None:
        def people(choices: list[CalleeChoice]) -> None:
            if not self._shown():
                return
            self._prompt(self._t(f"letters.who_{direction.value}"))
            row = BoxLayout(spacing=px(theme.GAP))
            for person in choices:
                relation = self._t(f"relation.{person.relation.value}")
                text = Markup("\n").join([sized(bold(relation), px(theme.FONT_TITLE)), person.name])
                colour = RELATION_COLOURS.get(person.relation.value, theme.CALL)
                row.add_widget(
                    tile(
                        relation_picture(person.relation),
                        text,
                        colour,
                        lambda p=person: self._on_done(direction, p),
                        caption_size=theme.FONT_BODY,
                    )
                )
            if not choices:
                row.add_widget(FitText(text=self._t("call.no_callees")))
            self._body.add_widget(row)

        self._ctrl.callers(child_id, people)

    def _prompt(self, text: str) -> None:
        self._body.clear_widgets()
        self._body.add_widget(
            FitText(text=text, size_hint_y=None, height=px(40), font_size=px(theme.FONT_BIG))
        )


def logged_words(t: Callable[..., Markup], direction: LetterDirection, person: CalleeChoice) -> Markup:
    """记好了：给妈妈写了一封信。 / 记好了：爸爸来信了。"""
    return t(f"letters.logged_{direction.value}", who=t(f"relation.{person.relation.value}"))
