"""家书: the duty teacher records a letter for a child — a letter home she handed in to be posted, or
one from her parents that came to the school. The child (tap her card, or pick class and name), which
way, who. Takes card taps: a tap is the child it is for."""

from __future__ import annotations

import uuid

from db.enums import LetterDirection
from kiosk.services.calls import CalleeChoice
from kiosk.services.signin import ChildSummary
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.letter_steps import LetterSteps, logged_words


class LettersPage(Page):
    page = AdminPage.LETTERS
    takes_cards = True

    def build(self) -> None:
        self.body = self.frame("admin.letters")
        self._choose_child()

    def _choose_child(self) -> None:
        self.picker = self.pick_child("letters.pick", self._child, self.body)

    def on_card(self, uid: str) -> None:
        self.child_of_card(uid, self._child)

    def _child(self, child: ChildSummary) -> None:
        if not self.shown:
            return
        self.banner.show(self.t("hotline.for", name=child.name, class_name=child.class_name), "info")
        LetterSteps(
            self.ctrl, self.body, self.t, lambda d, p: self._record(child, d, p), lambda: self.shown
        ).start(child.id)

    def _record(self, child: ChildSummary, direction: LetterDirection, person: CalleeChoice) -> None:
        def recorded(_: uuid.UUID) -> None:
            if self.shown:
                self._choose_child()
                words = logged_words(self.t, direction, person)
                self.banner.show(self.t("letters.for_child", name=child.name, words=words), "good")

        self.ctrl.record_letter(
            child.id, person.contact_id, direction, self.session.staff_id, recorded, self.refused
        )
