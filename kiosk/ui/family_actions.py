"""The controller's actions for the afternoon beyond a single screen: letters home (家书) recorded by the
child or the teacher, the calls still open and the teacher's hand on the phone queue, and the note of
the readers' state for `python -m kiosk health`. A mixin of KioskController (kiosk.ui.controller),
like RegisterActions; each action is one service call run on the worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from db.enums import LetterDirection
from kiosk.services import calls, letters, open_calls, queue_by_teacher
from kiosk.services.call_queue import QueueBoard
from kiosk.services.reader_state import save_reader_state
from kiosk.services.uow import UnitOfWork

T = TypeVar("T")
Then = Callable[[T], None]
Refused = Callable[[Any], None]


class FamilyActions:
    def run(
        self, label: str, job: Callable[[UnitOfWork], T], then: Then[T], refused: Refused | None = None
    ) -> None:
        raise NotImplementedError  # KioskController.run

    def record_letter(
        self,
        child_id: uuid.UUID,
        contact_id: uuid.UUID,
        direction: LetterDirection,
        staff_id: uuid.UUID | None,
        then: Then[uuid.UUID],
        refused: Refused,
    ) -> None:
        self.run(
            "record_letter",
            lambda u: letters.record_letter(u, child_id, contact_id, direction, staff_id=staff_id),
            then,
            refused,
        )

    # -- the duty teacher's 电话排队 page -------------------------------------------------------------
    def open_calls(self, then: Then[list[open_calls.OpenCallLine]]) -> None:
        self.run("open_calls", open_calls.open_calls, then)

    def end_call_by_staff(
        self, staff_id: uuid.UUID, call_id: uuid.UUID, then: Then[calls.ClosedCall], refused: Refused
    ) -> None:
        self.run("end_call_by_staff", lambda u: calls.end_call_by_staff(u, staff_id, call_id), then, refused)

    def call_next(self, staff_id: uuid.UUID, then: Then[QueueBoard], refused: Refused) -> None:
        self.run("call_next", lambda u: queue_by_teacher.call_next(u, staff_id), then, refused)

    def move_in_queue(
        self, staff_id: uuid.UUID, entry_id: uuid.UUID, up: bool, then: Then[bool], refused: Refused
    ) -> None:
        self.run("queue_move", lambda u: queue_by_teacher.move(u, staff_id, entry_id, up=up), then, refused)

    def remove_from_queue(
        self, staff_id: uuid.UUID, entry_id: uuid.UUID, then: Then[None], refused: Refused
    ) -> None:
        self.run("queue_remove", lambda u: queue_by_teacher.remove(u, staff_id, entry_id), then, refused)

    # -- the kiosk ----------------------------------------------------------------------------------
    def note_readers(self, readers: dict[str, str]) -> None:
        """For `python -m kiosk health` over SSH: what the readers report now (a small file beside the
        database, written on the worker, only when the report changed)."""
        self.run("note_readers", lambda u: save_reader_state(u.db_path, readers), lambda _: None)
