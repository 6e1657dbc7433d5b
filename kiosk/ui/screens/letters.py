"""家书: a child who wrote home, or got a letter from home, records it on her own screen after tapping
her card. It counts as keeping in touch, like a call (写信或通话)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kivy.uix.boxlayout import BoxLayout

from db.enums import LetterDirection
from kiosk.services.calls import CalleeChoice
from kiosk.ui import theme
from kiosk.ui.controller import Refused
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.letter_steps import LetterSteps, logged_words
from kiosk.ui.widgets import Banner, button, px

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class LettersScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="letters", **kwargs)
        self.child_id: uuid.UUID | None = None
        root = BoxLayout(orientation="vertical", padding=px(14), spacing=px(theme.GAP))
        root.add_widget(self.header(self.t("letters.title"), self.app.back_to_child))
        self.banner = Banner()
        root.add_widget(self.banner)
        self.body = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        root.add_widget(self.body)
        self.add_widget(root)

    def start(self, child_id: uuid.UUID) -> None:
        self.forget()
        self.child_id = child_id
        steps = LetterSteps(self.ctrl, self.body, self.t, self._record, lambda: self.child_id == child_id)
        steps.start(child_id)

    def _record(self, direction: LetterDirection, person: CalleeChoice) -> None:
        if self.child_id is None:
            return

        def recorded(_: uuid.UUID) -> None:
            self.body.clear_widgets()
            self.banner.show("✔ " + logged_words(self.t, direction, person), "good")
            self.body.add_widget(
                button(
                    self.t("menu.done"), theme.NEUTRAL, self.app.back_to_child, font_size=px(theme.FONT_TITLE)
                )
            )

        def refused(refusal: Refused) -> None:
            self.banner.show(refusal.message, "warn")

        self.ctrl.record_letter(self.child_id, person.contact_id, direction, None, recorded, refused)

    def forget(self) -> None:
        self.child_id = None
        self.banner.show("")
        self.body.clear_widgets()
