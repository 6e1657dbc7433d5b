"""One sync at a time: push the outbox in acknowledged batches, then pull the school's changes.

Only what the server acknowledged is marked sent, one batch per transaction, so a sync cut anywhere
(network, server restart, the kiosk losing power) resumes from the first unacknowledged event and
resends at most one batch, which the server recognises by the events' UUIDs. Each response carrying
the server's time also measures the kiosk's clock offset (server time minus the midpoint of the
request on the kiosk's clock); the kiosk keeps it for the admin screen and never sets its own clock.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.backup_erasure import erase_from_backups
from db.clock import Clock, SystemClock
from db.engine import writer
from db.models import DeviceIdentity, SyncState
from db.pin_key_file import file_pin_key, pin_key_path_for
from db.pin_seal import PinKey
from db.storage_errors import StorageTrouble, storage_trouble
from db.version import software_version
from sync.client import new_identity, pin_seal_agreement
from sync.client.outbox import PendingBatch, batch_body, mark_sent, read_pending
from sync.client.pull import RosterMismatch, apply_rows, merge_pages, newly_erased
from sync.client.restored import reconcile
from sync.client.school_rules import adopt_rules, latest_rules
from sync.client.status import SyncStatus, pending_event_count, unconfigured_status
from sync.client.token_store import load_token, save_token, settle_staged_token, stage_token, token_path_for
from sync.client.transport import Refused, ServerApi, TransportError, Unreachable, check_server_url
from sync.wire import Changes, EnrolRequest, EnrolResponse, PushBatch, WireEvent

log = logging.getLogger("sync.client")

# Chosen by measurement (python -m bench sync_push, 100,000 events, SQLite server, this 2-core machine):
# batches of 250 took 11.2-12.1 s, 500 8.8-9.4 s, 1,000 7.7-8.3 s, 2,000 6.9-7.5 s. Larger ones would need
# the server's limit (sync.wire.MAX_EVENTS_PER_BATCH) raised, for little more: a batch's fixed costs (a
# request, two commits) are already small beside its thousands of events.
DEFAULT_BATCH_SIZE = 2000
ApiFactory = Callable[[str, str | None], ServerApi]


class NotEnrolled(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int  # events acknowledged in this sync
    pulled: int  # central rows written in this sync
    snapshot: bool  # the pull replaced the whole roster


class SyncClient:
    def __init__(
        self,
        engine: Engine,
        clock: Clock | None = None,
        *,
        token_path: Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        api_factory: ApiFactory = ServerApi,
        pin_key: PinKey | None = None,
    ) -> None:
        """`pin_key`: the device key pulled staff PIN hashes are sealed with before they are written
        (db.pin_seal); the kiosk passes its unit of work's. None: the key file beside the database."""
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.db_path = Path(engine.url.database or "kiosk.sqlite3")
        self.token_path = token_path or token_path_for(self.db_path)
        self.batch_size = batch_size
        self._api_factory = api_factory
        self._writes = sessionmaker(bind=writer(engine), expire_on_commit=False)
        self._reads = sessionmaker(bind=engine, expire_on_commit=False)
        self._device_id: uuid.UUID | None = None
        # One sync or enrolment at a time: the sync thread and a teacher's re-enrolment on the screen's
        # worker must not push under an identity the other is replacing.
        self._busy = threading.RLock()
        self._pin_key = pin_key or file_pin_key(pin_key_path_for(self.db_path))
        # The folder whose full card stopped the last attempt. Kept in memory: a full card cannot
        # take the record of its own fullness, and the sync page must still say why nothing moves.
        self._full_folder: Path | None = None

    # -- enrolment ---------------------------------------------------------------------------------
    @property
    def device_id(self) -> uuid.UUID:
        if self._device_id is None:
            with self._reads() as session:
                self._device_id = session.scalars(select(DeviceIdentity.device_id)).one()
        return self._device_id

    def enrol(
        self,
        server_url: str,
        code: str,
        label: str | None = None,
        *,
        then_sync: bool = True,
        allow_plain_http: bool = False,
    ) -> SyncReport:
        """Trade the code for a token, remember the server, then take the school's roster (snapshot).
        With `then_sync=False` the first sync is left to the worker (or a benchmark that times it).
        Plain http:// to another machine is refused unless `allow_plain_http` (see check_server_url)."""
        server_url = check_server_url(server_url, allow_plain_http=allow_plain_http)
        with self._busy:
            response, key_sent = self._trade_code(server_url, code, self.device_id, label)
            save_token(self.token_path, response.device_token)
            with self._writes() as session:
                self._adopt_enrolment(session, server_url, response, key_sent)
                session.commit()
        log.info("enrolled as device %s", self.device_id)
        return self.sync_once() if then_sync else SyncReport(0, 0, False)

    def enrol_as_new_device(
        self,
        server_url: str,
        code: str,
        label: str | None = None,
        *,
        then_sync: bool = True,
        allow_plain_http: bool = False,
    ) -> SyncReport:
        """Enrol under a fresh device id, keeping every unsent event (see sync.client.new_identity)."""
        server_url = check_server_url(server_url, allow_plain_http=allow_plain_http)
        with self._busy:
            self._send_under_old_identity()
            device_id = new_identity.new_device_id()
            response, key_sent = self._trade_code(server_url, code, device_id, label)
            with self._reads() as session:
                new_identity.check_unsent_stay_in_school(session, response.school_id)
            stage_token(self.token_path, device_id, response.device_token)
            with self._writes() as session:
                new_identity.take_identity(session, device_id)
                self._adopt_enrolment(session, server_url, response, key_sent)
                session.commit()
            settle_staged_token(self.token_path, device_id)
            self._device_id = device_id
        log.info("enrolled as a new device %s", device_id)
        return self.sync_once() if then_sync else SyncReport(0, 0, False)

    def _trade_code(
        self, server_url: str, code: str, device_id: uuid.UUID, label: str | None
    ) -> tuple[EnrolResponse, bool]:
        """The server's answer, and whether it took the PIN seal key (a server older than the agreed
        keys refuses the field: the code, still unused, then goes again without it)."""
        api = self._api_factory(server_url, None)
        request = EnrolRequest(code=code, device_id=device_id, label=label)
        try:
            try:
                key = pin_seal_agreement.key_to_send(self._pin_key)
                response = api.enrol(request.model_copy(update={"pin_seal_key": key}))
                key_sent = True
            except Refused as exc:
                if exc.status != 422:
                    raise
                response, key_sent = api.enrol(request), False
        finally:
            api.close()
        if response.device_id != device_id:  # a token for another device would mix two histories
            raise Refused(
                502, "wrong_device", f"the server enrolled device {response.device_id}, not this kiosk"
            )
        return response, key_sent

    def _adopt_enrolment(
        self, session: Session, server_url: str, response: EnrolResponse, key_sent: bool
    ) -> None:
        """Remember the server and school; the next pull is a snapshot of that school's roster."""
        state = session.get(SyncState, 1) or SyncState(singleton=1)
        pin_seal_agreement.note_agreed(state, self._pin_key if key_sent else None)
        state.server_url = server_url
        state.school_id, state.room_id = response.school_id, response.room_id
        state.enrolled_at = self.clock.now()
        state.pull_cursor, state.roster_adopted = 0, False
        state.last_error = None
        session.merge(state)

    def _send_under_old_identity(self) -> None:
        """Before leaving an identity, send what it still can; if it cannot, the new one sends it."""
        try:
            self.sync_once()
        except NotEnrolled:
            pass
        except (TransportError, RosterMismatch) as exc:
            log.warning("could not send under the old identity before re-enrolling (%s)", type(exc).__name__)

    # -- one sync ----------------------------------------------------------------------------------
    def sync_once(self) -> SyncReport:
        """Push everything pending, then pull. Records the outcome; re-raises errors for the caller."""
        with self._busy:
            return self._sync_once()

    def _sync_once(self) -> SyncReport:
        with self._reads() as session:
            state = session.get(SyncState, 1)
        settle_staged_token(self.token_path, self.device_id)  # a re-enrolment cut by a power cut
        token = load_token(self.token_path)
        if state is None or token is None:
            raise NotEnrolled("this kiosk is not enrolled with a server (python -m kiosk sync enrol)")
        api = self._api_factory(state.server_url, token)
        try:
            pulled, snapshot = 0, False
            key_refused = pin_seal_agreement.agree_if_needed(self._writes, api, self._pin_key)
            if not state.roster_adopted:
                pulled, snapshot = self._pull(api, 0, snapshot=True), True
            try:
                pushed = self._push_all(api)
            except Refused as exc:
                if exc.code != "event_clash":
                    raise
                reconcile(self.engine, api, self.clock.now())  # a restored backup: see sync.client.restored
                pushed = self._push_all(api)
            if not snapshot:
                pulled = self._pull(api, self._cursor(), snapshot=False)
            if key_refused is not None:  # sent and pulled what it could; now say it must enrol again
                raise key_refused
        except (TransportError, RosterMismatch) as exc:
            self._record(online=isinstance(exc, Refused | RosterMismatch), error=_describe(exc))
            raise
        except Exception as exc:
            # A failure on this side (a database error, a bug): shown, so the badge does not keep
            # saying all is well. Only its type: its message may quote the rows being written.
            self._note_full_card(exc)
            self._record(online=None, error=f"sync failed on this kiosk ({type(exc).__name__})")
            raise
        finally:
            api.close()
        self._full_folder = None
        self._record(online=True, error=None)
        return SyncReport(pushed, pulled, snapshot)

    def status(self) -> SyncStatus:
        status = read_status(self._reads, self.token_path)
        if self._full_folder is not None:
            return replace(status, storage_full=str(self._full_folder))
        return status

    def _note_full_card(self, exc: Exception) -> bool:
        """Remember a full card as the reason sync stands still; True when that was the trouble."""
        if storage_trouble(exc, self.db_path) is not StorageTrouble.DISK_FULL:
            return False
        self._full_folder = self.db_path.parent
        return True

    # -- push ----------------------------------------------------------------------------------------
    def _push_all(self, api: ServerApi) -> int:
        """Batches go out one after another. While the server stores one, a thread reads the next from
        the outbox: on a kiosk with a backlog, reading and sending overlap instead of taking turns."""
        pushed = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-outbox") as reader:
            upcoming = reader.submit(read_pending, self.engine, self.batch_size)
            while True:
                pending = upcoming.result()
                more = pending.count == self.batch_size
                if more:
                    upcoming = reader.submit(read_pending, self.engine, self.batch_size, pending.last_seq)
                self._push_batch(api, pending)  # an empty batch still measures the clock and says "alive"
                pushed += pending.count
                if not more:
                    return pushed

    def new_batch(self, events: list[WireEvent], pending_after: int | None = None) -> PushBatch:
        """A batch of this device's events, stamped with the kiosk's clocks as it is sent, and with
        what the office's kiosk page shows: this software's version and what is still waiting."""
        return PushBatch(
            batch_id=uuid.uuid4(),
            device_id=self.device_id,
            sent_at=self.clock.now(),
            boot_id=self.clock.boot_id,
            monotonic_ns=self.clock.monotonic_ns(),
            events=events,
            kiosk_version=software_version(),
            pending_after=pending_after,
        )

    def _push_batch(self, api: ServerApi, pending: PendingBatch) -> None:
        batch_id, sent_at = uuid.uuid4(), self.clock.now()
        body = batch_body(pending, batch_id, self.device_id, sent_at, self.clock, software_version())
        ack = api.push_body(body)
        received = self.clock.now()
        if ack.batch_id != batch_id or ack.acknowledged != pending.count:
            raise Unreachable("the server's acknowledgement does not match the batch sent")
        if ack.set_aside:
            log.warning("the server set aside %d event(s) of this batch for the school office", ack.set_aside)
        with self._writes() as session:
            mark_sent(session, pending, received)
            self._note_clock(session, sent_at, received, ack.server_time)
            session.commit()

    # -- pull ------------------------------------------------------------------------------------------
    def _pull(self, api: ServerApi, after: int, *, snapshot: bool) -> int:
        pages: list[Changes] = []
        cursor = after
        sent_at = self.clock.now()
        try:
            while True:
                page = api.pull(cursor)
                pages.append(page)
                cursor = page.cursor
                if not page.more:
                    break
        except Refused as exc:
            if exc.code != "cursor_ahead_of_server":
                raise
            log.warning("the server is behind this kiosk's cursor; reloading the roster from a snapshot")
            return self._pull(api, 0, snapshot=True)
        rows = merge_pages(pages)
        rules = latest_rules(pages)
        with self._writes() as session:
            erased = newly_erased(session, rows)
            apply_rows(session, rows, snapshot=snapshot, pin_key=self._pin_key)
            if rules is not None:
                adopt_rules(session, rules)
            state = session.get(SyncState, 1)
            assert state is not None
            state.pull_cursor = cursor
            state.roster_adopted = True
            if len(pages) == 1:
                self._note_clock(session, sent_at, self.clock.now(), pages[0].server_time)
            session.commit()
        if rows["children"] or rows["contacts"]:
            self._scrub_old_pages()
        if erased:  # the backups made before still hold what the school erased
            erase_from_backups(self.db_path, erased)
        return sum(len(by_key) for by_key in rows.values())

    def _scrub_old_pages(self) -> None:
        """A pull that changed children or contacts may have overwritten personal data the school
        erased; move the write-ahead log into the file and truncate it, so the old values do not
        stay in the -wal (secure_delete already zeroes them in the file). It waits at most the busy
        timeout for a reader to finish (on the sync thread, never the screen's); if one is still
        reading, the log is truncated at the next pull that changes these rows, or by SQLite itself."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def _cursor(self) -> int:
        with self._reads() as session:
            return session.scalars(select(SyncState.pull_cursor)).one()

    # -- bookkeeping -------------------------------------------------------------------------------------
    def _note_clock(
        self, session: Session, sent_at: datetime, received_at: datetime, server_time: datetime
    ) -> None:
        midpoint = sent_at + (received_at - sent_at) / 2
        state = session.get(SyncState, 1)
        assert state is not None
        state.clock_offset_ms = round((server_time - midpoint).total_seconds() * 1000)
        state.clock_measured_at = received_at

    def _record(self, *, online: bool | None, error: str | None) -> None:
        """The outcome of an attempt; `online` None leaves the last known reachability as it was.
        On a full card the record is skipped (status() says why): the attempt's own error is the
        one to raise, not the record's."""
        now = self.clock.now()
        try:
            with self._writes() as session:
                state = session.get(SyncState, 1)
                if state is None:
                    return
                if online is not None:
                    state.online = online
                state.last_attempt_at = now
                state.last_error = error
                if error is None:
                    state.last_success_at = now
                session.commit()
        except Exception as exc:
            if not self._note_full_card(exc):
                raise


def read_status(reads: sessionmaker[Session], token_path: Path) -> SyncStatus:
    """The badge's and admin screen's view; a short read that never waits on the network."""
    with reads() as session:
        state = session.get(SyncState, 1)
        if state is None or not token_path.exists():
            return unconfigured_status(session)
        return SyncStatus(
            configured=True,
            online=state.online,
            pending_events=pending_event_count(session),
            last_success_at=state.last_success_at,
            last_error=state.last_error,
            server_url=state.server_url,
            clock_offset_ms=state.clock_offset_ms,
        )


def _describe(exc: Exception) -> str:
    return str(exc)[:300]
