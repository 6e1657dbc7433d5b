"""家书: the duty teacher records a letter for a child — a letter home she handed in to be posted, or
one from her parents that came to the school. The child (tap her card, or pick class and name), which
way, who. Takes card taps: a tap is the child it is for."""

from __future__ import annotations

from db.enums import LetterDirection
from kiosk.services.calls import CalleeChoice
from kiosk.services.signin import ChildSummary
from kiosk.ui.screens.admin.for_a_child import ForAChildPage
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.letter_steps import LetterSteps, logged_words


class LettersPage(ForAChildPage):
    page = AdminPage.LETTERS
    title_key = "admin.letters"
    pick_key = "letters.pick"

    def steps_for(self, child: ChildSummary) -> None:
        LetterSteps(
            self.ctrl, self.body, self.t, lambda d, p: self._record(child, d, p), lambda: self.shown
        ).start(child.id)

    def _record(self, child: ChildSummary, direction: LetterDirection, person: CalleeChoice) -> None:
        words = logged_words(self.t, direction, person)
        self.ctrl.record_letter(
            child.id,
            person.contact_id,
            direction,
            self.session.staff_id,
            lambda _: self.saved(self.t("letters.for_child", name=child.name, words=words)),
            self.refused,
        )
