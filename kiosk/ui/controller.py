"""The one layer between screens and services: named actions, run on the worker, answered on the UI thread.

Screens say what the child or teacher did (`tap_card`, `start_call` …) and get back either the
service's result or a `Refused` with the sentence to show. No rule lives here: each action is one
service call. Kivy-free, so it is unit-tested with a synchronous `post`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from db.clock import Clock
from db.enums import CallEnd, CallKind, CallReason, ItemKind, ReturnCondition
from db.pin_seal import PinKey
from kiosk.platform.words import refusal_message, translate
from kiosk.services import (
    call_queue,
    calls,
    cards,
    enrolment,
    loans,
    reports,
    room,
    roster,
    signin,
    staff,
    stocktake,
)
from kiosk.services.database_check import Restored
from kiosk.services.enrolment import Enroller, EnrolmentNeed, EnrolmentScan, enrolment_needed
from kiosk.services.errors import CallAlreadyEnded, Refusal, UnknownCall
from kiosk.services.health import Health, gather
from kiosk.services.room_settings import RoomSettings
from kiosk.services.room_settings_changes import change_setting, current_settings
from kiosk.services.signout import sign_out
from kiosk.services.uow import UnitOfWork
from kiosk.ui.family_actions import FamilyActions
from kiosk.ui.room_log_actions import RegisterActions
from kiosk.ui.worker import ServiceWorker
from sync.client.status import SyncStatus, unconfigured_status

T = TypeVar("T")
Then = Callable[[T], None]
# What the sync badge reads, run on the worker thread (it may read the database).
SyncStatusProvider = Callable[[UnitOfWork], SyncStatus]


class SyncLink(Protocol):
    """The sync client as the UI sees it (`sync.client.worker.SyncWorker` fits). None when the kiosk
    is not enrolled with a server: the room works offline and the badge says so."""

    @property
    def client(self) -> Enroller | None:
        """The client that enrols (None: a link that cannot, such as a test's stand-in)."""
        ...

    def status(self) -> SyncStatus: ...

    def sync_now(self) -> None:
        """Ask for a sync soon; returns at once (the sync runs on the client's own thread)."""
        ...


class RunningSync(SyncLink, Protocol):
    """A sync link the app started itself (once its database was open), so the app also stops it."""

    def stop(self, timeout: float | None = ...) -> None: ...


# Starts the sync client over the app's open database; called once, when the database is ready.
StartSync = Callable[[UnitOfWork], RunningSync]


@dataclass(frozen=True, slots=True)
class Refused:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class IdleInfo:
    """Everything the idle screen shows besides the clock: nothing about any one child, except the
    number and given name of the child called to the phone."""

    room: room.RoomStatus
    sync: SyncStatus
    settings: RoomSettings
    queue: call_queue.QueueBoard


def unconfigured_sync(uow: UnitOfWork) -> SyncStatus:
    with uow.read() as session:
        return unconfigured_status(session)


def sync_status_provider(link: SyncLink | None) -> SyncStatusProvider:
    """The enrolled client's own status, or "not connected" with the outbox count read here."""
    if link is None:
        return unconfigured_sync
    return lambda _uow: link.status()


class KioskController(RegisterActions, FamilyActions):
    def __init__(
        self,
        worker: ServiceWorker,
        locale: str,
        on_refused: Callable[[Refused], None],
        on_error: Callable[[str], None],
        sync_status: SyncStatusProvider = unconfigured_sync,
        sync: SyncLink | None = None,
    ) -> None:
        self._worker = worker
        self.locale = locale
        self._default_refused = on_refused
        self._on_error = on_error
        self._sync_status = sync_status
        self._sync = sync
        self._uow: UnitOfWork | None = None
        # Hears every service refusal before the screen shows it (the voice's 请找老师), added ones too.
        self.on_any_refusal: Callable[[Refused], None] = lambda _refused: None

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def uow(self) -> UnitOfWork:
        if self._uow is None:
            raise RuntimeError("the database is not open yet")
        return self._uow

    def attach(self, uow: UnitOfWork) -> None:
        """Use an already-open database (tests, or a caller that opened it itself)."""
        self._uow = uow

    def first_start(self, then: Then[EnrolmentNeed | None]) -> None:
        enroller = self._enroller()
        token_path = enroller.token_path if enroller is not None else None
        self.run("first_start", lambda uow: enrolment_needed(uow, token_path), then)

    def _enroller(self) -> Enroller | None:
        return self._sync.client if self._sync is not None else None

    def enrol(
        self,
        scan: EnrolmentScan,
        then: Then[None],
        refused: Callable[[Refused], None],
        *,
        as_new_device: bool = False,
    ) -> None:
        """Enrol with the office's code on the worker; the running sync worker then takes the roster.
        `as_new_device`: under a fresh device id, keeping unsent events (sync.client.new_identity)."""

        def job(_uow: UnitOfWork) -> None:
            enrolment.enrol(self._enroller(), scan, as_new_device=as_new_device)
            assert self._sync is not None  # enrol refuses a kiosk with no sync client
            self._sync.sync_now()

        self.run("enrol", job, then, refused)

    def attach_sync(self, link: SyncLink) -> None:
        """Plug in a sync client that could only start once the database was open."""
        self._sync = link
        self._sync_status = sync_status_provider(link)

    def now(self) -> datetime:
        return self.uow.clock.now()

    def run(
        self,
        label: str,
        job: Callable[[UnitOfWork], T],
        then: Then[T],
        refused: Callable[[Refused], None] | None = None,
    ) -> None:
        on_refused = refused or self._default_refused

        def refusal(exc: Refusal) -> None:
            self.on_any_refusal(answer := Refused(exc.code, refusal_message(exc, self.locale)))
            on_refused(answer)

        self._worker.submit(
            lambda: job(self.uow),
            then,
            refusal,
            lambda exc: self._on_error(translate("error.unexpected", self.locale)),
            label,
        )

    def open_database(
        self,
        path: Path,
        clock: Clock | None,
        load_demo: Callable[[UnitOfWork], None] | None,
        then: Then[Restored | None],
        pin_key: PinKey | Callable[[], PinKey] | None = None,
        refused: Callable[[Refused], None] | None = None,
    ) -> None:
        """Check and open (migrate) the database on the worker: the first frame does not wait for the
        disk. `then` learns whether a damaged file was replaced by a backup, to say so on screen."""
        from kiosk.services.database_open import open_checked_database  # noqa: PLC0415 - Alembic is slow to import

        def job() -> Restored | None:
            self._uow, restored = open_checked_database(path, clock, pin_key, hold_as="kiosk")
            if load_demo is not None:
                load_demo(self._uow)
            return restored

        on_refused = refused or self._default_refused

        def refusal(exc: Refusal) -> None:
            on_refused(Refused(exc.code, refusal_message(exc, self.locale)))

        self._worker.submit(job, then, refusal, lambda e: self._on_error(str(e)), "open")

    # -- the child's actions ----------------------------------------------------------------------
    def tap_card(self, uid: str, then: Then[signin.TapResult]) -> None:
        self.run("tap", lambda u: signin.tap_card(u, uid), then)

    def sign_out(self, child_id: uuid.UUID, then: Then[signin.SignedOut | None]) -> None:
        self.run("sign_out", lambda u: sign_out(u, child_id), then)

    def callees(self, child_id: uuid.UUID, then: Then[list[calls.CalleeChoice]]) -> None:
        self.run("callees", lambda u: calls.callees_for(u, child_id), then)

    def start_call(
        self,
        child_id: uuid.UUID,
        callee_id: uuid.UUID,
        kind: CallKind,
        reason: CallReason | None,
        then: Then[calls.OpenCall],
        refused: Callable[[Refused], None] | None = None,
    ) -> None:
        self.run(
            "start_call",
            lambda u: calls.start_family_call(u, child_id, callee_id, kind, reason),
            then,
            refused,
        )

    def end_call(self, call_id: uuid.UUID, reason: CallEnd, then: Then[calls.ClosedCall | None]) -> None:
        def job(u: UnitOfWork) -> calls.ClosedCall | None:
            try:
                return calls.end_family_call(u, call_id, reason)
            except (CallAlreadyEnded, UnknownCall):
                return None  # the room closed it, or the time limit did: nothing left to end

        self.run("end_call", job, then)

    def loans_of(self, child_id: uuid.UUID, then: Then[list[loans.OnLoan]]) -> None:
        self.run("loans_of", lambda u: loans.loans_of(u, child_id), then)

    def lendable(self, kinds: tuple[ItemKind, ...], then: Then[list[loans.Lendable]]) -> None:
        self.run("lendable", lambda u: loans.lendable_items(u, kinds), then)

    def borrow_barcode(
        self,
        child_id: uuid.UUID,
        code: str,
        then: Then[loans.LoanReceipt],
        refused: Callable[[Refused], None],
    ) -> None:
        self.run("borrow_copy", lambda u: loans.borrow_copy(u, child_id, code), then, refused)

    def borrow_item(
        self,
        child_id: uuid.UUID,
        item_id: uuid.UUID,
        then: Then[loans.LoanReceipt],
        refused: Callable[[Refused], None],
    ) -> None:
        self.run("borrow_item", lambda u: loans.borrow_item(u, child_id, item_id), then, refused)

    def give_back(
        self,
        code: str,
        condition: ReturnCondition,
        child_id: uuid.UUID,
        then: Then[loans.ChildReturn],
        refused: Callable[[Refused], None],
    ) -> None:
        """The child who tapped their card brings something back (theirs, or a friend's in good order);
        the answer is what her screen may say (no sum of money on a public screen)."""
        self.run("return_copy", lambda u: loans.return_by_child(u, code, condition, child_id), then, refused)

    # -- the idle screen --------------------------------------------------------------------------
    def idle_info(self, then: Then[IdleInfo]) -> None:
        self.run(
            "idle_info",
            lambda u: IdleInfo(
                room.room_status(u), self._sync_status(u), current_settings(u), call_queue.queue_board(u)
            ),
            then,
        )

    def health(self, readers: list[str], then: Then[Health]) -> None:
        """Read on the worker: the backups' checks read whole files."""
        self.run("health", lambda u: gather(u.db_path, readers), then)

    def sync_status(self, then: Then[SyncStatus]) -> None:
        self.run("sync_status", self._sync_status, then)

    @property
    def can_sync(self) -> bool:
        return self._sync is not None

    def sync_now(self, then: Then[None]) -> None:
        """On the worker too: `sync_now` only sets a flag, but a plugged-in client is not ours to trust
        with the UI thread."""
        link = self._sync
        if link is not None:
            self.run("sync_now", lambda _u: link.sync_now(), then)

    # -- the administrator ------------------------------------------------------------------------
    def verify_pin(
        self,
        staff_id: uuid.UUID,
        pin: str,
        then: Then[staff.StaffSession],
        refused: Callable[[Refused], None],
    ) -> None:
        self.run("verify_pin", lambda u: staff.verify_staff_pin(u, staff_id, pin), then, refused)

    def visits_today(self, then: Then[list[reports.VisitLine]]) -> None:
        self.run("visits_on", lambda u: reports.visits_on(u), then)

    def calls_today(self, then: Then[list[reports.CallLine]]) -> None:
        self.run("calls_on", lambda u: reports.calls_on(u), then)

    def borrow_records(
        self, open_only: bool, kinds: tuple[ItemKind, ...] | None, then: Then[list[reports.BorrowRecord]]
    ) -> None:
        def job(u: UnitOfWork) -> list[reports.BorrowRecord]:
            if kinds is None or len(kinds) != 1:
                rows = reports.borrow_records(u, open_only=open_only)
                return rows if kinds is None else [r for r in rows if r.kind in kinds]
            return reports.borrow_records(u, open_only=open_only, kind=kinds[0])

        self.run("borrow_records", job, then)

    def overdue(self, then: Then[list[reports.OverdueLoan]]) -> None:
        self.run("overdue", reports.overdue_loans, then)

    def contact_due(self, then: Then[list[Any]]) -> None:
        self.run("contact_due", reports.contact_due_list, then)

    def class_names(self, then: Then[list[str]]) -> None:
        self.run("class_names", roster.class_names, then)

    def children_in_class(self, class_name: str, then: Then[list[signin.ChildSummary]]) -> None:
        self.run("children_in_class", lambda u: roster.children_in_class(u, class_name), then)

    def register_card(
        self,
        admin_id: uuid.UUID,
        uid: str,
        child_id: uuid.UUID,
        then: Then[str],
        refused: Callable[[Refused], None],
    ) -> None:
        self.run(
            "register_card", lambda u: cards.register_card(u, admin_id, uid, child_id=child_id), then, refused
        )

    def room_status(self, then: Then[room.RoomStatus]) -> None:
        self.run("room_status", room.room_status, then)

    def open_room(self, staff_id: uuid.UUID, then: Then[uuid.UUID]) -> None:
        self.run("open_room", lambda u: room.open_room(u, staff_id), then)

    def close_room(self, staff_id: uuid.UUID, then: Then[room.RoomClosedSummary]) -> None:
        self.run("close_room", lambda u: room.close_room(u, staff_id), then)

    def begin_stocktake(self, staff_id: uuid.UUID, then: Then[uuid.UUID]) -> None:
        """Carry on with a stocktake left open (power cut), or start one."""
        self.run(
            "stocktake", lambda u: stocktake.open_stocktake(u) or stocktake.start_stocktake(u, staff_id), then
        )

    def stocktake_count(self, stocktake_id: uuid.UUID, then: Then[int]) -> None:
        self.run("stocktake_count", lambda u: stocktake.scans_so_far(u, stocktake_id), then)

    def stocktake_scan(self, stocktake_id: uuid.UUID, code: str, then: Then[stocktake.ScanOutcome]) -> None:
        self.run("stocktake_scan", lambda u: stocktake.record_scan(u, stocktake_id, code), then)

    def finish_stocktake(
        self, stocktake_id: uuid.UUID, staff_id: uuid.UUID, then: Then[stocktake.StocktakeReport]
    ) -> None:
        self.run("stocktake_finish", lambda u: stocktake.finish_stocktake(u, stocktake_id, staff_id), then)

    def settings(self, then: Then[RoomSettings]) -> None:
        self.run("settings", current_settings, then)

    def change_setting(self, key: str, value: Any, then: Then[RoomSettings]) -> None:
        self.run("change_setting", lambda u: change_setting(u, key, value), then)
