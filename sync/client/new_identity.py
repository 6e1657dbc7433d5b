"""Re-enrolling a kiosk as a new device, from the touchscreen, when its old identity cannot go on.

A device id lives in the kiosk's database file. A backup put on a re-imaged SD card, or one card image
copied to a second Pi, carries the old id with it: the server then sees two histories under one id, or
an id already enrolled that a new code cannot take (`device_already_enrolled`). Re-enrolling as a new
device gives the kiosk a fresh id and token with the office's code, and its history goes on under it.

Nothing is lost on the way:
- before the switch the kiosk sends what it can under its old identity (a best effort: the old token
  may be gone with the card, or revoked);
- every event the server has not acknowledged is sent under the new identity, with its own id and in
  its order. One the server already holds from the old identity (sent, but its acknowledgement lost) is
  recognised by its id and content and acknowledged again, not stored twice (sync.server.intake.event_store);
- events already sent stay as they are: `OutboxEvent.device_id` keeps the identity that made each one;
- the switch is one transaction, and the new token is staged beside the old one until that transaction
  has committed (sync.client.token_store.stage_token), so a power cut at any moment leaves the old
  identity with its token or the new one with its token, never one with the other's.

Unsent events belong to the school they were made for: a code of another school is refused while any
are waiting (the new device the server created for it stays unused; the office can revoke it).
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import DeviceIdentity, OutboxEvent, SyncState
from sync.client.transport import Refused


def new_device_id() -> uuid.UUID:
    return uuid.uuid4()


def check_unsent_stay_in_school(session: Session, school_id: uuid.UUID) -> None:
    state = session.get(SyncState, 1)
    if state is None or state.school_id == school_id:
        return
    waiting = session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.sent_at.is_(None))
    )
    if waiting:
        raise Refused(
            409,
            "unsent_for_another_school",
            f"this kiosk still holds {waiting} record(s) of its school that were not sent; "
            "send them to that school's server first, or use a code of the same school",
        )


def take_identity(session: Session, device_id: uuid.UUID) -> None:
    """From now on this kiosk is `device_id`: its unsent events go under that id, in seq order."""
    identity = session.get(DeviceIdentity, 1)
    assert identity is not None, "a kiosk database always names its device (kiosk.services.database_open)"
    identity.device_id = device_id
