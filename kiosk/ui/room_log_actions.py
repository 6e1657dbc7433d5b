"""The controller's actions for the room's other registers: the phone queue, incoming calls, showings,
damage and emergencies. A mixin of KioskController (kiosk.ui.controller), kept apart so each file has
one subject; like the rest of the controller, each action is one service call run on the worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from db.enums import DamageSettlement, NotifyParty, ReturnCondition, ShowingMedium
from kiosk.services import call_queue, calls, child_menu, damages, incidents, loans, roster, showings
from kiosk.services.signin import ChildSummary
from kiosk.services.uow import UnitOfWork

T = TypeVar("T")
Then = Callable[[T], None]
Refused = Callable[[Any], None]


class RegisterActions:
    def run(
        self, label: str, job: Callable[[UnitOfWork], T], then: Then[T], refused: Refused | None = None
    ) -> None:
        raise NotImplementedError  # KioskController.run

    # -- a child ------------------------------------------------------------------------------------
    def child_menu(self, child_id: uuid.UUID, then: Then[child_menu.ChildMenu]) -> None:
        self.run("child_menu", lambda u: child_menu.menu_for(u, child_id), then)

    def ask_for_phone(self, child_id: uuid.UUID, then: Then[call_queue.PhoneAnswer]) -> None:
        self.run("ask_for_phone", lambda u: call_queue.ask_for_phone(u, child_id), then)

    def leave_queue(self, child_id: uuid.UUID, then: Then[bool]) -> None:
        self.run("leave_queue", lambda u: call_queue.leave_queue(u, child_id), then)

    def join_showing(
        self, child_id: uuid.UUID, showing_id: uuid.UUID, then: Then[showings.OpenShowing], refused: Refused
    ) -> None:
        self.run("join_showing", lambda u: showings.join_showing(u, child_id, showing_id), then, refused)

    def callers(self, child_id: uuid.UUID, then: Then[list[calls.CalleeChoice]]) -> None:
        self.run("callers", lambda u: calls.callers_for(u, child_id), then)

    def log_incoming(
        self,
        child_id: uuid.UUID,
        caller_id: uuid.UUID,
        minutes: int,
        staff_id: uuid.UUID | None,
        then: Then[uuid.UUID],
        refused: Refused,
    ) -> None:
        self.run(
            "log_incoming",
            lambda u: calls.log_incoming_call(u, child_id, caller_id, minutes, staff_id=staff_id),
            then,
            refused,
        )

    # -- the administrator ----------------------------------------------------------------------------
    def child_by_card(self, uid: str, then: Then[ChildSummary | None]) -> None:
        self.run("child_by_card", lambda u: roster.child_by_card(u, uid), then)

    def waiting_list(self, then: Then[list[call_queue.QueueLine]]) -> None:
        self.run("waiting_list", call_queue.waiting_list, then)

    def showing_now(self, then: Then[showings.OpenShowing | None]) -> None:
        self.run("showing_now", showings.showing_now, then)

    def todays_showings(self, then: Then[list[showings.ShowingRecord]]) -> None:
        self.run("todays_showings", showings.todays_register, then)

    def open_showing(
        self, staff_id: uuid.UUID, medium: ShowingMedium, content: str, starts_at: Any, then: Then[uuid.UUID]
    ) -> None:
        self.run(
            "open_showing", lambda u: showings.open_showing(u, staff_id, medium, content, starts_at), then
        )

    def close_showing(self, staff_id: uuid.UUID, then: Then[int]) -> None:
        self.run("close_showing", lambda u: showings.close_showing(u, staff_id), then)

    def damage_list(self, then: Then[list[damages.DamageLine]]) -> None:
        self.run("damage_list", damages.damage_list, then)

    def copy_on_file(self, barcode: str, then: Then[loans.CopyOnFile], refused: Refused) -> None:
        self.run("copy_on_file", lambda u: loans.copy_on_file(u, barcode), then, refused)

    def return_for_borrower(
        self, staff_id: uuid.UUID, barcode: str, condition: ReturnCondition, then: Then[loans.ReturnReceipt]
    ) -> None:
        self.run(
            "return_for_borrower", lambda u: loans.return_copy(u, barcode, condition, staff_id=staff_id), then
        )

    def record_damage(
        self,
        staff_id: uuid.UUID,
        barcode: str,
        child_id: uuid.UUID,
        condition: ReturnCondition,
        then: Then[uuid.UUID],
    ) -> None:
        self.run(
            "record_damage", lambda u: damages.record_damage(u, staff_id, barcode, child_id, condition), then
        )

    def agree_amount(
        self, staff_id: uuid.UUID, damage_id: uuid.UUID, amount_fen: int, then: Then[None], refused: Refused
    ) -> None:
        self.run(
            "agree_amount", lambda u: damages.agree_amount(u, staff_id, damage_id, amount_fen), then, refused
        )

    def settle_damage(
        self,
        staff_id: uuid.UUID,
        damage_id: uuid.UUID,
        settlement: DamageSettlement,
        then: Then[None],
        refused: Refused,
    ) -> None:
        self.run("settle_damage", lambda u: damages.settle(u, staff_id, damage_id, settlement), then, refused)

    def emergency_contacts(
        self, staff_id: uuid.UUID, child_id: uuid.UUID, then: Then[incidents.EmergencyCard]
    ) -> None:
        self.run("emergency_contacts", lambda u: incidents.emergency_contacts(u, staff_id, child_id), then)

    def open_incident(
        self, staff_id: uuid.UUID, child_id: uuid.UUID, then: Then[incidents.IncidentView]
    ) -> None:
        self.run("open_incident", lambda u: incidents.open_incident(u, staff_id, child_id), then)

    def mark_notified(
        self,
        staff_id: uuid.UUID,
        incident_id: uuid.UUID,
        party: NotifyParty,
        then: Then[incidents.IncidentView],
        refused: Refused,
    ) -> None:
        self.run(
            "mark_notified", lambda u: incidents.mark_notified(u, staff_id, incident_id, party), then, refused
        )

    def recent_incidents(self, then: Then[list[incidents.IncidentView]]) -> None:
        self.run("recent_incidents", incidents.recent_incidents, then)

    def incident(self, incident_id: uuid.UUID, then: Then[incidents.IncidentView]) -> None:
        self.run("incident", lambda u: incidents.incident(u, incident_id), then)
