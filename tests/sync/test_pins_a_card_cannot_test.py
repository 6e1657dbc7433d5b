"""What a kiosk's SD card alone gives away of the staff PINs, tried as a thief would: with the device
token found on the card, fetch what the school's server hands that token, and test the right PIN
against it (the probe). The kiosk itself, with its device key, must still accept that PIN.

The Pi's OTP key lives in the chip, not on the card: here a key the test holds and never writes to
the card's folder stands for it. A kiosk on the key-file fallback keeps its key on the card, and the
README's threat model says so; one test shows that honestly too.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, update

from db.clock import ManualClock
from db.demo import DEMO_STAFF_PIN
from db.models import Staff, SyncState
from db.pin_hash import verify_pin
from db.pin_key_file import file_pin_key
from db.pin_seal import PinKey, SealedUnderAnotherKey, seal_pin_hash, verify_sealed_pin
from kiosk.services import staff
from kiosk.services.database_open import open_database
from kiosk.services.errors import PinSealedElsewhere
from sync.client import SyncClient
from sync.client.token_store import load_token, token_path_for
from sync.client.transport import Refused
from sync.server.devices import provisioning
from sync.server.models import CentralStaff, Device
from tests.conftest import START, Room
from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, SchoolRef, quick_api


class CardKiosk:
    """A kiosk whose files are all in `card` (its SD card); `chip` is its device key, or None for
    the key-file fallback (then the key is a file on the card)."""

    def __init__(self, card: Path, chip: PinKey | None) -> None:
        self.card = card
        self.path = card / "kiosk.sqlite3"
        self.clock = ManualClock(START)
        self.uow = open_database(self.path, self.clock, chip)
        self.client = SyncClient(self.uow.engine, self.clock, api_factory=quick_api, pin_key=self.uow.pin_key)

    def teacher(self) -> uuid.UUID:
        return Room(self.uow, self.clock).staff()

    def accepts(self, staff_id: uuid.UUID, pin: str) -> bool:
        return staff.verify_staff_pin(self.uow, staff_id, pin).staff_id == staff_id

    def close(self) -> None:
        self.uow.engine.dispose()


@pytest.fixture
def card_kiosk(tmp_path: Path):
    made: list[CardKiosk] = []

    def make(chip: PinKey | None, name: str = "card") -> CardKiosk:
        card = tmp_path / name
        card.mkdir(exist_ok=True)
        kiosk = CardKiosk(card, chip)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def fetched_with_the_cards_token(server: ServerProcess, card: Path) -> list[dict]:
    """The staff rows the server gives whoever holds the token found on the card."""
    token = load_token(token_path_for(card / "kiosk.sqlite3"))
    assert token is not None
    answer = requests.get(
        f"{server.url}/v1/sync/changes",
        params={"after": 0},
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["staff"]


def probe(verifier: str, card: Path, pin: str) -> bool:
    """Does this verifier confirm `pin` for someone holding only the card? They test it as a scrypt
    hash, and as a seal under every key file the card holds (with whatever the project's open source
    derives from such a key)."""
    if verify_pin(pin, verifier):
        return True
    for key_file in card.glob("*.pin-key"):
        try:
            if verify_sealed_pin(pin, verifier, file_pin_key(key_file)):
                return True
        except SealedUnderAnotherKey:
            continue
    return False


def central_verifiers(central: Central, school: SchoolRef) -> set[str]:
    with central.db.reads() as session:
        return set(session.scalars(select(CentralStaff.pin_hash).where(CentralStaff.school_id == school.id)))


def test_what_the_cards_token_fetches_confirms_no_pin_while_the_kiosk_accepts_it(
    server: ServerProcess, central: Central, school: SchoolRef, card_kiosk
) -> None:
    chip = PinKey(os.urandom(32))  # the Pi's OTP key: in the chip, never on the card
    kiosk = card_kiosk(chip)
    kiosk.client.enrol(server.url, central.code(school))
    teacher = kiosk.teacher()
    assert kiosk.accepts(teacher, DEMO_STAFF_PIN)  # the kiosk, with its key, still lets the teacher in
    kiosk.close()  # everything on disk, as on a card pulled from the Pi

    assert not list(kiosk.card.glob("*.pin-key"))  # no key on this card
    fetched = fetched_with_the_cards_token(server, kiosk.card)
    assert fetched and {row["id"] for row in fetched} >= {str(teacher)}
    for row in fetched:
        assert not probe(row["pin_hash"], kiosk.card, DEMO_STAFF_PIN), row["name"]
        assert row["pin_hash"] not in central_verifiers(central, school)  # never the plain verifier


def test_a_kiosk_on_the_key_file_keeps_its_key_on_the_card_and_the_probe_finds_the_pin(
    server: ServerProcess, central: Central, school: SchoolRef, card_kiosk
) -> None:
    """The README's table, row "SD card only" with the key file: the card holds the key too."""
    kiosk = card_kiosk(None)
    kiosk.client.enrol(server.url, central.code(school))
    assert kiosk.accepts(kiosk.teacher(), DEMO_STAFF_PIN)
    kiosk.close()
    fetched = fetched_with_the_cards_token(server, kiosk.card)
    assert all(probe(row["pin_hash"], kiosk.card, DEMO_STAFF_PIN) for row in fetched)
    assert not any(probe(row["pin_hash"], kiosk.card, "135792") for row in fetched)


def make_it_a_kiosk_enrolled_before_the_upgrade(
    central: Central, kiosk: CardKiosk, chip: PinKey, school: SchoolRef
) -> None:
    """What an older version left: the server knows no PIN key for the device, and the kiosk holds the
    server's verifiers sealed locally with its device key (as the older version did)."""
    with central.edit() as session:
        session.execute(update(Device).where(Device.id == kiosk.client.device_id).values(pin_seal_key=None))
    plain = {}
    with central.db.reads() as session:
        for staff_id, verifier in session.execute(
            select(CentralStaff.id, CentralStaff.pin_hash).where(CentralStaff.school_id == school.id)
        ):
            plain[staff_id] = verifier
    with kiosk.uow as uow:
        for staff_id, verifier in plain.items():
            uow.session.execute(
                update(Staff).where(Staff.id == staff_id).values(pin_hash=seal_pin_hash(verifier, chip))
            )
        uow.session.execute(update(SyncState).values(pin_seal_key_id=None))
        uow.commit()


def test_a_kiosk_enrolled_before_the_upgrade_keeps_its_pins_and_agrees_its_key_at_its_next_sync(
    server: ServerProcess, central: Central, school: SchoolRef, card_kiosk
) -> None:
    chip = PinKey(os.urandom(32))
    kiosk = card_kiosk(chip)
    kiosk.client.enrol(server.url, central.code(school))
    teacher = kiosk.teacher()
    make_it_a_kiosk_enrolled_before_the_upgrade(central, kiosk, chip, school)

    assert kiosk.accepts(teacher, DEMO_STAFF_PIN)  # upgraded and still offline: the old seals open
    for row in fetched_with_the_cards_token(server, kiosk.card):  # the server withholds, never plain
        assert row["pin_hash"] not in central_verifiers(central, school)
        assert not probe(row["pin_hash"], kiosk.card, DEMO_STAFF_PIN)

    kiosk.client.sync_once()  # the upgraded kiosk agrees its key and takes verifiers sealed for it
    assert kiosk.accepts(teacher, DEMO_STAFF_PIN)
    assert central.device(kiosk.client.device_id).pin_seal_key is not None
    fetched = fetched_with_the_cards_token(server, kiosk.card)
    assert fetched and not any(probe(row["pin_hash"], kiosk.card, DEMO_STAFF_PIN) for row in fetched)
    with kiosk.uow.read() as session:
        stored = set(session.scalars(select(Staff.pin_hash)))
    assert stored == {row["pin_hash"] for row in fetched}  # the kiosk keeps what the server sealed for it


def test_a_card_thief_cannot_give_the_server_a_key_of_their_own(
    server: ServerProcess, central: Central, school: SchoolRef, card_kiosk
) -> None:
    chip = PinKey(os.urandom(32))
    kiosk = card_kiosk(chip)
    kiosk.client.enrol(server.url, central.code(school))
    teacher = kiosk.teacher()
    kiosk.close()
    token = load_token(token_path_for(kiosk.path))
    thiefs_key = PinKey(os.urandom(32))
    answer = requests.post(
        f"{server.url}/v1/sync/pin-seal-key",
        json={"key": thiefs_key.secret.hex()},
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "pin_seal_key_taken"
    fetched = fetched_with_the_cards_token(server, kiosk.card)
    for row in fetched:
        with pytest.raises(SealedUnderAnotherKey):
            verify_sealed_pin(DEMO_STAFF_PIN, row["pin_hash"], thiefs_key)
    back = card_kiosk(chip)  # the kiosk itself goes on as before
    back.client.sync_once()
    assert back.accepts(teacher, DEMO_STAFF_PIN)


def test_a_card_moved_to_another_pi_is_told_to_enrol_again_and_then_works(
    server: ServerProcess, central: Central, school: SchoolRef, card_kiosk
) -> None:
    first_pi = PinKey(os.urandom(32))
    kiosk = card_kiosk(first_pi)
    kiosk.client.enrol(server.url, central.code(school))
    teacher = kiosk.teacher()
    kiosk.close()

    moved = card_kiosk(PinKey(os.urandom(32)))  # the same card in a Pi with another OTP key
    with pytest.raises(PinSealedElsewhere):
        moved.accepts(teacher, DEMO_STAFF_PIN)
    with pytest.raises(Refused) as refused:
        moved.client.sync_once()
    assert refused.value.code == "pin_seal_key_taken"
    assert "enrol" in moved.client.status().last_error
    with central.edit() as session:
        provisioning.revoke_device(session, moved.client.device_id)
    moved.client.enrol(server.url, central.code(school))
    assert moved.accepts(teacher, DEMO_STAFF_PIN)
