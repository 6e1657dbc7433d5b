"""Sorting a batch's events into facts the server can take and events it must set aside.

A batch either names the same event id or sequence number twice (no kiosk does that: its outbox keys
both), which refuses the request, or every one of its events is answered: admitted as a fact, or set
aside with the reason. An unknown type (a kiosk newer than its server) or a payload that does not match
its type (db.events) is not something a retry fixes, and refusing the whole batch for it would stop
every later event of that kiosk for good. Set aside, it is kept whole for the school office and
acknowledged, and the kiosk's uploads go on.

Reasons name fields, never values: a payload could hold a child's name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from db.events import EVENT_TYPES, Event, parse_event
from sync.server.api.errors import ApiError
from sync.server.models.facts import SetAsideReason
from sync.wire import PushBatch, WireEvent

_MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class Admitted:
    wire: WireEvent
    fact: Event  # the payload, parsed into its db.events type


@dataclass(frozen=True, slots=True)
class ToSetAside:
    wire: WireEvent
    reason: SetAsideReason
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Screened:
    admitted: list[Admitted] = field(default_factory=list)  # in seq order
    set_aside: list[ToSetAside] = field(default_factory=list)


def screen(batch: PushBatch) -> Screened:
    _refuse_repeats(batch)
    screened = Screened()
    for event in sorted(batch.events, key=lambda e: e.seq):
        kind = EVENT_TYPES.get(event.type)
        if kind is None:
            screened.set_aside.append(
                ToSetAside(event, SetAsideReason.UNKNOWN_EVENT_TYPE, {"problem": "unknown event type"})
            )
            continue
        try:
            screened.admitted.append(Admitted(event, parse_event(event.type, event.payload)))
        except ValidationError as exc:
            fields = sorted({".".join(map(str, err["loc"])) or "payload" for err in exc.errors()})
            screened.set_aside.append(
                ToSetAside(
                    event,
                    SetAsideReason.INVALID_PAYLOAD,
                    {"problem": "payload does not match the event type", "fields": fields},
                )
            )
    return screened


def _refuse_repeats(batch: PushBatch) -> None:
    seen_ids: set[uuid.UUID] = set()
    seen_seqs: set[int] = set()
    problems = []
    for index, event in enumerate(batch.events):
        if event.id in seen_ids or event.seq in seen_seqs:
            problems.append(
                {
                    "index": index,
                    "seq": event.seq,
                    "id": str(event.id),
                    "problem": "the same id or seq appears twice in this batch",
                }
            )
        seen_ids.add(event.id)
        seen_seqs.add(event.seq)
    if problems:
        raise ApiError(
            422,
            "invalid_events",
            f"{len(problems)} event(s) repeat an id or seq of this batch; nothing from it was stored.",
            problems[:_MAX_REPORTED],
        )
