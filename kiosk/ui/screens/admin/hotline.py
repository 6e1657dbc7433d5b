"""亲情热线: a parent rang the room's phone; the duty teacher logs it afterwards — the child (tap their
card, or pick class and name), who rang, how long. Takes card taps: a tap is the child it was for."""

from __future__ import annotations

import uuid

from kiosk.services.calls import CalleeChoice
from kiosk.services.signin import ChildSummary
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.screens.incoming_steps import IncomingSteps


class HotlinePage(Page):
    page = AdminPage.HOTLINE
    takes_cards = True

    def build(self) -> None:
        self.body = self.frame("admin.hotline")
        self._choose_child()

    def _choose_child(self) -> None:
        self.picker = self.pick_child("hotline.pick", self._child, self.body)

    def on_card(self, uid: str) -> None:
        self.child_of_card(uid, self._child)

    def _child(self, child: ChildSummary) -> None:
        if not self.shown:
            return
        self.banner.show(self.t("hotline.for", name=child.name, class_name=child.class_name), "info")
        IncomingSteps(
            self.ctrl, self.body, self.t, lambda c, m: self._log(child, c, m), lambda: self.shown
        ).start(child.id)

    def _log(self, child: ChildSummary, caller: CalleeChoice, minutes: int) -> None:
        relation = self.t(f"relation.{caller.relation.value}")

        def logged(_: uuid.UUID) -> None:
            if self.shown:
                self._choose_child()
                self.banner.show(
                    self.t("hotline.logged", name=child.name, who=relation, minutes=minutes), "good"
                )

        self.ctrl.log_incoming(
            child.id, caller.contact_id, minutes, self.session.staff_id, logged, self.refused
        )
