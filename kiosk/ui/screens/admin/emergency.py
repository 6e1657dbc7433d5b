"""突发事件: tap the child's card (or pick class and name) and every number on the child's card is on
screen at once; 记录突发事件 opens the incident, listing who must be told by when, each ticked 已通知
with its time. The numbers are shown in full here because an administrator is about to ring them."""

from __future__ import annotations

import uuid
from datetime import datetime

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from db.enums import NotifyParty
from kiosk.services.incidents import EmergencyCard, IncidentView, Notice
from kiosk.services.signin import ChildSummary
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.markup import bold
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, Panel, button, px, scrolling_grid


class EmergencyPage(Page):
    page = AdminPage.EMERGENCY
    takes_cards = True

    def build(self) -> None:
        recent = self.bar_button("emergency.recent", theme.NEUTRAL, self._recent)
        self.body = self.frame("admin.emergency", [recent])
        self.card: EmergencyCard | None = None
        self.pick_child("emergency.pick", self._child, self.body)

    def on_card(self, uid: str) -> None:
        self.child_of_card(uid, self._child)

    def _child(self, child: ChildSummary) -> None:
        self.banner.show("")
        self.ctrl.emergency_contacts(self.session.staff_id, child.id, self._show_card)

    def _show_card(self, card: EmergencyCard, incident: IncidentView | None = None) -> None:
        if not self.shown:
            return
        self.card = card
        self.body.clear_widgets()
        row = BoxLayout(spacing=px(theme.GAP))
        row.add_widget(self._numbers(card))
        if incident is None:
            start = button(
                "‼ " + self.t("emergency.open"),
                theme.BAD,
                lambda: self.ctrl.open_incident(self.session.staff_id, card.child_id, self._show_incident),
                size_hint_x=0.42,
                font_size=px(theme.FONT_BIG),
            )
            row.add_widget(start)
        else:
            row.add_widget(self._notices(incident))
        self.body.add_widget(row)

    def _numbers(self, card: EmergencyCard) -> Panel:
        panel = Panel(orientation="vertical", spacing=px(4))
        panel.add_widget(
            FitText(
                text=bold(card.child_name) + " · " + card.class_name,
                font_size=px(theme.FONT_BIG),
                size_hint_y=None,
                height=px(38),
            )
        )
        for contact in card.contacts:
            relation = self.t(f"relation.{contact.relation.value}")
            who = BoxLayout(orientation="vertical")
            who.add_widget(FitText(text=f"{relation} {contact.name}", color=theme.INK_SOFT))
            who.add_widget(
                FitText(text=fmt.phone_text(contact.phone), font_size=px(theme.FONT_TITLE), color=theme.CALL)
            )
            panel.add_widget(who)
        if not card.contacts:
            panel.add_widget(FitText(text=self.t("emergency.no_numbers")))
        return panel

    def _show_incident(self, incident: IncidentView) -> None:
        if self.card is None or self.card.child_id != incident.child_id:
            self.ctrl.emergency_contacts(
                self.session.staff_id, incident.child_id, lambda card: self._show_card(card, incident)
            )
        else:
            self._show_card(self.card, incident)

    def _notices(self, incident: IncidentView) -> Panel:
        panel = Panel(orientation="vertical", spacing=px(6), size_hint_x=1.15)
        opened = fmt.clock_text(incident.opened_at, self.app.zone)
        panel.add_widget(
            FitText(text=self.t("emergency.opened_at", time=opened), size_hint_y=None, height=px(30))
        )
        now = self.ctrl.now()
        for notice in incident.notices:
            line = BoxLayout(spacing=px(6))
            who = BoxLayout(orientation="vertical", size_hint_x=1.4)
            who.add_widget(FitText(text=self.t(f"party.{notice.party.value}"), halign="left"))
            due = self.t("emergency.due", time=self._time(notice.due_at))
            who.add_widget(
                FitText(text=due, halign="left", font_size=px(theme.FONT_SMALL), color=theme.INK_SOFT)
            )
            line.add_widget(who)
            line.add_widget(self._tick(incident, notice, now))
            panel.add_widget(line)
        return panel

    def _tick(self, incident: IncidentView, notice: Notice, now: datetime) -> Widget:
        if notice.notified_at is not None:
            key = "emergency.told_late" if notice.late else "emergency.told"
            colour = theme.BAD if notice.late else theme.GOOD
            return FitText(text=self.t(key, time=self._time(notice.notified_at)), color=colour)
        colour = theme.BAD if notice.overdue_at(now) else theme.PRIMARY
        return button(
            self.t("emergency.tick"),
            colour,
            lambda p=notice.party: self._mark(incident.incident_id, p),
            font_size=px(theme.FONT_BODY),
        )

    def _mark(self, incident_id: uuid.UUID, party: NotifyParty) -> None:
        self.ctrl.mark_notified(self.session.staff_id, incident_id, party, self._show_incident, self.refused)

    def _time(self, moment: datetime) -> str:
        return fmt.clock_text(moment, self.app.zone)

    # -- earlier incidents ----------------------------------------------------------------------
    def _recent(self) -> None:
        self.ctrl.recent_incidents(self._list)

    def _list(self, rows: list[IncidentView]) -> None:
        if not self.shown:
            return
        self.body.clear_widgets()
        scroll, grid = scrolling_grid(1)
        for incident in rows:
            day = fmt.short_date(incident.opened_at.astimezone(self.app.zone).date(), self.app.locale)
            state = self.t("emergency.all_told" if incident.all_told else "emergency.not_all_told")
            when = f"{day} {self._time(incident.opened_at)}"
            text = f"{when}  {incident.class_name} {incident.child_name} · {state}"
            grid.add_widget(
                button(
                    text,
                    theme.BAD if not incident.all_told else theme.NEUTRAL,
                    lambda i=incident: self._show_incident(i),
                    size_hint_y=None,
                    height=px(theme.TOUCH_MIN),
                    font_size=px(theme.FONT_BODY),
                )
            )
        if not rows:
            grid.add_widget(FitText(text=self.t("admin.none"), size_hint_y=None, height=px(40)))
        self.body.add_widget(scroll)
