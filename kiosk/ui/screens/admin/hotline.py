"""亲情热线: a parent rang the room's phone; the duty teacher logs it afterwards — the child (tap their
card, or pick class and name), who rang, how long. Takes card taps: a tap is the child it was for."""

from __future__ import annotations

from kiosk.services.calls import CalleeChoice
from kiosk.services.signin import ChildSummary
from kiosk.ui.screens.admin.for_a_child import ForAChildPage
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.incoming_steps import IncomingSteps


class HotlinePage(ForAChildPage):
    page = AdminPage.HOTLINE
    title_key = "admin.hotline"
    pick_key = "hotline.pick"

    def steps_for(self, child: ChildSummary) -> None:
        IncomingSteps(
            self.ctrl, self.body, self.t, lambda c, m: self._log(child, c, m), lambda: self.shown
        ).start(child.id)

    def _log(self, child: ChildSummary, caller: CalleeChoice, minutes: int) -> None:
        relation = self.t(f"relation.{caller.relation.value}")
        words = self.t("hotline.logged", name=child.name, who=relation, minutes=minutes)
        self.ctrl.log_incoming(
            child.id,
            caller.contact_id,
            minutes,
            self.session.staff_id,
            lambda _: self.saved(words),
            self.refused,
        )
