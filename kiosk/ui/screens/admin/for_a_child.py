"""A page where the duty teacher records something for one child: her card tapped here, or class then
name, then the page's own steps, then back to choosing the next child with a word of what was saved.
The hotline and the letters pages differ only in their steps and what they record."""

from __future__ import annotations

from abc import ABC, abstractmethod

from kiosk.services.signin import ChildSummary
from kiosk.ui.screens.admin.base import Page


class ForAChildPage(Page, ABC):
    takes_cards = True
    title_key: str  # the header's words
    pick_key: str  # the picker's prompts: pick_key + "_class" / "_child"

    def build(self) -> None:
        self.body = self.frame(self.title_key)
        self._choose_child()

    def _choose_child(self) -> None:
        self.picker = self.pick_child(self.pick_key, self._child, self.body)

    def on_card(self, uid: str) -> None:
        self.child_of_card(uid, self._child)

    def _child(self, child: ChildSummary) -> None:
        if not self.shown:
            return
        self.banner.show(self.t("hotline.for", name=child.name, class_name=child.class_name), "info")
        self.steps_for(child)

    @abstractmethod
    def steps_for(self, child: ChildSummary) -> None:
        """Put this page's steps for `child` into `self.body`; they end in `saved`."""

    def saved(self, words: str) -> None:
        """The record is stored: say so, and wait for the next child (if the page is still shown)."""
        if self.shown:
            self._choose_child()
            self.banner.show(words, "good")
