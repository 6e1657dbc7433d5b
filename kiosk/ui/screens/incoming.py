"""爸爸妈妈打来了: a child who just talked with family on the room's 亲情热线 logs it on their own screen
(who rang, how long): it counts as keeping in touch, like a call home."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kiosk.services.calls import CalleeChoice
from kiosk.ui import theme
from kiosk.ui.controller import Refused
from kiosk.ui.screens.child_record import ChildRecordScreen
from kiosk.ui.screens.incoming_steps import IncomingSteps
from kiosk.ui.widgets import button, px

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost


class IncomingScreen(ChildRecordScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="incoming", title="incoming.title", **kwargs)

    def start(self, child_id: uuid.UUID) -> None:
        self.forget()
        self.child_id = child_id
        IncomingSteps(self.ctrl, self.body, self.t, self._log, lambda: self.child_id == child_id).start(
            child_id
        )

    def _log(self, caller: CalleeChoice, minutes: int) -> None:
        if self.child_id is None:
            return
        relation = self.t(f"relation.{caller.relation.value}")

        def logged(_: uuid.UUID) -> None:
            self.done(self.t("incoming.logged", who=relation, minutes=minutes))

        def refused(refusal: Refused) -> None:
            self.banner.show(refusal.message, "warn")
            if refusal.code == "finish_call_first":  # her own call is still open: back to it, in words
                self.body.clear_widgets()
                self.body.add_widget(
                    button(
                        "☎ " + self.t("call.back_to_call"),
                        theme.CALL,
                        self.app.open_call,
                        font_size=px(theme.FONT_TITLE),
                    )
                )

        self.ctrl.log_incoming(self.child_id, caller.contact_id, minutes, None, logged, refused)
