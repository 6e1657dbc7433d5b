"""The staff PIN seal key this kiosk agrees with its school's server, so that what its device token can
fetch is useless without the device key (see sync.server.devices.pin_seal_keys and db.pin_seal).

The key goes to the server once: in the enrolment request, or — for a kiosk enrolled by an older
version — at its first sync after the upgrade, when the server answers with the school's verifiers
sealed with it, which replace the seals the kiosk made itself. Until then those older seals keep
working. The server takes a late key only once per enrolment: if it already holds another one (the
card was copied, or moved into another Pi), the kiosk goes on syncing and says it must be enrolled
again. A server older than this one knows no such key: the kiosk then seals what it pulls itself.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from db.models import Staff, SyncState
from db.pin_seal import PinKey, agreed_key
from sync.client.transport import Refused, ServerApi

log = logging.getLogger("sync.client")

KEY_TAKEN = "pin_seal_key_taken"


def key_to_send(pin_key: PinKey) -> str:
    """The agreed key as the wire carries it (hex)."""
    return agreed_key(pin_key).secret.hex()


def note_agreed(state: SyncState, pin_key: PinKey | None) -> None:
    """The server took this kiosk's agreed key (None: it was not sent, or not taken)."""
    state.pin_seal_key_id = agreed_key(pin_key).key_id if pin_key is not None else None


def agree_if_needed(writes: sessionmaker[Session], api: ServerApi, pin_key: PinKey) -> Refused | None:
    """Agree the key if the server does not have it yet; the refusal to raise once the sync has sent
    and pulled what it could, if the server holds another key for this kiosk."""
    agreed = agreed_key(pin_key)
    with writes() as session:
        state = session.get(SyncState, 1)
        if state is None or state.pin_seal_key_id == agreed.key_id:
            return None
    try:
        sealed = api.agree_pin_seal_key(agreed.secret.hex())
    except Refused as exc:
        if exc.status == 404:  # a server from before the agreed keys: it still sends plain verifiers
            log.info("the server does not take PIN seal keys yet; sealing pulled PINs on this kiosk")
            return None
        if exc.code == KEY_TAKEN:
            log.warning("the server holds another PIN seal key for this kiosk: it must be enrolled again")
            return exc
        raise
    with writes() as session:
        for pin in sealed.staff:
            session.execute(update(Staff).where(Staff.id == pin.id).values(pin_hash=pin.pin_hash))
        state = session.get(SyncState, 1)
        assert state is not None
        note_agreed(state, pin_key)
        session.commit()
    log.info("agreed the PIN seal key with the server; %d staff PINs sealed by it", len(sealed.staff))
    return None
