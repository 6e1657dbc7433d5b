"""Pull: the central rows of one school changed after a cursor, oldest change first.

Every central row carries the change number it was last written with (sync.server.core.change_sequence); the
cursor a kiosk holds is the highest number it has applied. Numbers are unique within a school, so a
page can end anywhere without splitting a change. A page from 0 is the whole school: a snapshot.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.pin_seal import PinKey
from sync.server.api.errors import ApiError
from sync.server.core.clock import now_of
from sync.server.core.school_settings import kiosk_rules
from sync.server.devices.pin_seal_keys import served_verifier
from sync.server.models import CENTRAL_MODELS, CentralRow, School
from sync.wire import (
    CENTRAL_TABLES,
    CardRow,
    CatalogueItemRow,
    Changes,
    ChildRow,
    ContactRow,
    CopyRow,
    RowModel,
    StaffRow,
)

ROWS: dict[str, type[RowModel]] = {
    "staff": StaffRow,
    "children": ChildRow,
    "contacts": ContactRow,
    "catalogue_items": CatalogueItemRow,
    "copies": CopyRow,
    "cards": CardRow,
}
assert tuple(ROWS) == tuple(CENTRAL_MODELS) == CENTRAL_TABLES
TABLES: dict[str, tuple[type[CentralRow], type[RowModel]]] = {
    table: (CENTRAL_MODELS[table], ROWS[table]) for table in CENTRAL_TABLES
}


_RULES = "school_rules"


def changes_after(
    session: Session, school_id: uuid.UUID, after: int, limit: int, seal_key: PinKey | None
) -> Changes:
    """`seal_key`: the key agreed with the kiosk asking; staff PIN verifiers go out sealed with it, or
    withheld without one (sync.server.devices.pin_seal_keys), never as the server keeps them."""
    school = session.get(School, school_id)
    assert school is not None
    if after > school.change_seq:
        # The server's data is older than what the kiosk has seen (restored from a backup): the kiosk
        # must start again from a snapshot rather than wait for numbers that were handed out twice.
        raise ApiError(
            409,
            "cursor_ahead_of_server",
            "This kiosk has seen changes the server no longer has; it will reload the roster from scratch.",
            [{"after": after, "server_cursor": school.change_seq}],
        )
    found: list[tuple[int, str, CentralRow]] = []
    for table, (model, _row) in TABLES.items():
        rows = session.scalars(
            select(model)
            .where(model.school_id == school_id, model.change_seq > after)
            .order_by(model.change_seq)
            .limit(limit + 1)
        )
        found.extend((row.change_seq, table, row) for row in rows)
    if school.settings_seq > after:  # the school's rules travel as one more change, in order
        found.append((school.settings_seq, _RULES, None))
    found.sort(key=lambda item: item[0])
    page, more = found[:limit], len(found) > limit
    grouped: dict[str, list[RowModel]] = {table: [] for table in TABLES}
    rules = None
    for _seq, table, row in page:
        if table == _RULES:
            rules = kiosk_rules(school)
        else:
            sent = TABLES[table][1].model_validate(row)
            if isinstance(sent, StaffRow):
                sent = sent.model_copy(update={"pin_hash": served_verifier(sent.pin_hash, seal_key)})
            grouped[table].append(sent)
    return Changes(
        school_id=school_id,
        after=after,
        cursor=page[-1][0] if page else after,
        more=more,
        server_time=now_of(session),
        school_rules=rules,
        **grouped,
    )
