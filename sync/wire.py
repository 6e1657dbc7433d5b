"""The HTTP wire between a kiosk and its school's server: enrolment, the push batch and the pull page.

`db.events` says what a fact is; this module says how facts and central rows travel. Both the client
and the server import it, so a field renamed here breaks the tests of both sides at once. Central rows
use the kiosk's own column names, so the client can write them without a mapping table and the server
can read them straight off its models.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from db.enums import CardStatus, CopyStatus, GuardianType, ItemKind, Relation, StaffRole
from db.limits import INT32_MAX

API_PREFIX = "/v1"
MAX_EVENTS_PER_BATCH = 2000  # a batch of 2,000 typical events is ~700 kB of JSON, ~130 kB gzipped
MAX_PULL_PAGE = 5000
# Raw request bodies (after any gzip) above this are refused with 413 before they are parsed.
MAX_BODY_BYTES = 4 * 1024 * 1024


def _no_nul(text: str) -> str:
    """PostgreSQL cannot store U+0000 in text or JSON (SQLite can): refuse it at the door, on both
    databases, instead of failing with a 500 inside the transaction. No kiosk ever writes one."""
    if "\x00" in text:
        raise ValueError("text must not contain the NUL character")
    return text


def _no_nul_inside(value: Any) -> None:
    """_no_nul for every key and string of a JSON value; a loop, not a recursion, as it runs for every
    event of every push."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str:
            _no_nul(item)
        elif kind is dict:
            for key, inner in item.items():
                _no_nul(key)
                pending.append(inner)
        elif kind is list:
            pending.extend(item)


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_no_nul)]
EnrolmentCode = Annotated[str, StringConstraints(min_length=4, max_length=32), AfterValidator(_no_nul)]
PinSealKeyHex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- enrolment -------------------------------------------------------------------------------------


LABEL_MAX = 80  # a kiosk's name on the office's list


class EnrolRequest(WireModel):
    """A kiosk trades a one-time code (shown once to the administrator) for its own device token."""

    code: EnrolmentCode
    device_id: uuid.UUID  # born with the kiosk's database file; every event it records carries it
    label: Annotated[str, StringConstraints(max_length=LABEL_MAX), AfterValidator(_no_nul)] | None = None
    # The key the server seals staff PIN verifiers with for this kiosk (db.pin_seal.agreed_key), in
    # hex; older kiosks send none and agree one later (PinSealKey).
    pin_seal_key: PinSealKeyHex | None = None


class EnrolResponse(WireModel):
    device_id: uuid.UUID
    device_token: str  # shown once; the server keeps only its hash
    school_id: uuid.UUID
    room_id: uuid.UUID
    server_time: datetime


class PinSealKey(WireModel):
    """A kiosk enrolled by an older version agrees its PIN seal key after its upgrade (once)."""

    key: PinSealKeyHex


class SealedPin(WireModel):
    id: uuid.UUID
    pin_hash: str


class SealedPins(WireModel):
    """The school's staff PIN verifiers, sealed with the key the kiosk just agreed."""

    staff: list[SealedPin]


# -- push ------------------------------------------------------------------------------------------


class WireEvent(WireModel):
    """One outbox row. `payload` is checked against `db.events` by the server, not by this model: an
    event whose type or payload the server cannot take is set aside on its own, not its whole batch."""

    id: uuid.UUID
    seq: int = Field(ge=1, le=2**62)
    type: ShortText
    payload: dict[str, Any]
    occurred_at: AwareDatetime  # the kiosk's wall clock when it happened: possibly wrong
    boot_id: ShortText
    monotonic_ns: int = Field(ge=0, le=2**63 - 1)

    @field_validator("payload")
    @classmethod
    def _payload_has_no_nul(cls, payload: dict[str, Any]) -> dict[str, Any]:
        _no_nul_inside(payload)
        return payload


def event_fields(source: Any) -> dict[str, Any]:
    """An event's own fields by name, read off anything that has them: the kiosk's outbox row when it
    is sent, the received `WireEvent` when the server stores it."""
    return {name: getattr(source, name) for name in WireEvent.model_fields}


class PushBatch(WireModel):
    """Events of one device, oldest first. The clock fields are read when the kiosk sends the batch;
    with the server's receive time they give the kiosk's clock offset and, per boot, an anchor that
    turns monotonic nanoseconds into real time."""

    batch_id: uuid.UUID
    device_id: uuid.UUID
    sent_at: AwareDatetime
    boot_id: ShortText
    monotonic_ns: int = Field(ge=0, le=2**63 - 1)
    events: list[WireEvent] = Field(max_length=MAX_EVENTS_PER_BATCH)
    # What the kiosk says of itself, for the office's kiosk page; older kiosks send neither.
    kiosk_version: Annotated[str, StringConstraints(max_length=40), AfterValidator(_no_nul)] | None = None
    # Events still waiting after this batch; stored in an Integer column (the fuzzer found 2**62 a 500).
    pending_after: int | None = Field(None, ge=0, le=INT32_MAX)


class HeldEvent(WireModel):
    seq: int
    id: uuid.UUID


class HeldEvents(WireModel):
    """What the server holds of this kiosk's events after a sequence number: how a kiosk restored from
    an old backup (sync.client.restored) finds which of its unsent events the server already has, and
    the number after which its own new ones can go."""

    last_seq: int  # the highest seq the server holds for this device (0: none)
    held: list[HeldEvent]  # (seq, id) after `after`, in seq order, at most `limit`
    more: bool


class PushAck(WireModel):
    """Every event of the batch is answered, and the client may mark the whole batch sent: stored as a
    fact (new), stored before (duplicates: a resend), or set aside by the server for the school office
    (an event it cannot take as a fact: unknown type, payload that does not match it). Anything else is
    an error response and the client marks nothing."""

    batch_id: uuid.UUID
    acknowledged: int  # new + duplicates + set_aside = the batch's events
    new: int
    duplicates: int
    conflicts_flagged: int
    server_time: datetime
    clock_offset_ms: int  # server time minus kiosk time, measured as this batch arrived
    set_aside: int = 0


# -- pull ------------------------------------------------------------------------------------------


class RowModel(WireModel):
    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)


# What an erasure leaves in place of a child's and its callees' names (sync.server.office.erasure):
# a kiosk that pulls a child under it knows the school erased that child's personal data.
ERASED_NAME = "（已删除）"


class ChildRow(RowModel):
    id: uuid.UUID
    name: str
    class_name: str
    grade: int
    birthday: date | None
    guardian_type: GuardianType | None  # None: the school's roster did not give it
    active: bool


class ContactRow(RowModel):
    id: uuid.UUID
    child_id: uuid.UUID
    relation: Relation
    name: str
    phone: str
    allowed_to_call: bool


class StaffRow(RowModel):
    id: uuid.UUID
    name: str
    role: StaffRole
    pin_hash: str
    active: bool


class CardRow(RowModel):
    uid: str
    child_id: uuid.UUID | None
    staff_id: uuid.UUID | None
    status: CardStatus
    registered_at: datetime


class CatalogueItemRow(RowModel):
    id: uuid.UUID
    kind: ItemKind
    title: str
    author: str | None
    isbn: str | None
    price_fen: int | None
    active: bool


class CopyRow(RowModel):
    id: uuid.UUID
    item_id: uuid.UUID
    barcode: str
    status: CopyStatus
    acquired_on: date | None


# Parent tables before the tables that point at them: the order a pull is written in.
CENTRAL_TABLES = ("staff", "children", "contacts", "catalogue_items", "copies", "cards")


class Changes(WireModel):
    """Central rows changed after a cursor, in parent-before-child order of tables. `cursor` is the
    value to send as `after` next time; `more` says another page is waiting. A page starting at 0 is
    a full snapshot of the school."""

    school_id: uuid.UUID
    after: int
    cursor: int
    more: bool
    server_time: datetime
    staff: list[StaffRow] = []
    children: list[ChildRow] = []
    contacts: list[ContactRow] = []
    catalogue_items: list[CatalogueItemRow] = []
    copies: list[CopyRow] = []
    cards: list[CardRow] = []
    # The rules the school's kiosks follow (SCHOOL_RULE_KEYS), when the school changed them after
    # `after`; None when unchanged.
    school_rules: dict[str, Any] | None = None


# The school settings a kiosk takes from the office, by the names of the kiosk's RoomSettings: the office
# sends exactly these (sync.server.core.school_settings) and the kiosk knows how to check each one
# (sync.client.school_rules).
SCHOOL_RULE_KEYS = ("timezone", "contact_cadence", "min_open_minutes_per_day")


# -- errors ----------------------------------------------------------------------------------------


class ErrorDetail(WireModel):
    code: str  # stable, for programs: "unknown_event_type", "token_revoked", …
    message: str  # one sentence for the administrator; never children's data
    details: list[dict[str, Any]] = []


class ErrorBody(WireModel):
    error: ErrorDetail
