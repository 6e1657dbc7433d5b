"""家书: a child who wrote home, or got a letter from home, records it on her own screen after tapping
her card. It counts as keeping in touch, like a call (写信或通话)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from db.enums import LetterDirection
from kiosk.services.calls import CalleeChoice
from kiosk.ui.controller import Refused
from kiosk.ui.screens.child_record import ChildRecordScreen
from kiosk.ui.screens.letter_steps import LetterSteps, logged_words

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class LettersScreen(ChildRecordScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="letters", title="letters.title", **kwargs)

    def start(self, child_id: uuid.UUID) -> None:
        self.forget()
        self.child_id = child_id
        steps = LetterSteps(self.ctrl, self.body, self.t, self._record, lambda: self.child_id == child_id)
        steps.start(child_id)

    def _record(self, direction: LetterDirection, person: CalleeChoice) -> None:
        if self.child_id is None:
            return

        def recorded(_: uuid.UUID) -> None:
            self.done("✔ " + logged_words(self.t, direction, person))

        def refused(refusal: Refused) -> None:
            self.banner.show(refusal.message, "warn")

        self.ctrl.record_letter(self.child_id, person.contact_id, direction, None, recorded, refused)
