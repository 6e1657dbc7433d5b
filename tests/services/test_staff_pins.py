"""Staff PINs on a kiosk: what someone holding only its SD card (or a copy of the database file) can
learn, and how long someone guessing at the screen must wait.

The attack the issue reproduced: take a staff row's hash from the file and try every 4-digit PIN
against it. Here the attacker's own routine (db.pin_hash.verify_pin, the scrypt check a copied hash
would need) is run against what the file holds, with the right PIN among the guesses.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import pytest

from db.clock import ManualClock
from db.demo import DEMO_STAFF_PIN
from db.pin_hash import hash_pin, parse_pin_hash, verify_pin
from db.pin_key_file import pin_key_path_for
from db.pin_seal import PinKey, SealedUnderAnotherKey, verify_sealed_pin
from kiosk.services import staff
from kiosk.services.database_open import open_database
from kiosk.services.errors import PinLocked, PinSealedElsewhere, WrongPin
from kiosk.services.room_settings import save_setting
from tests.conftest import START, Room


def staff_hashes(db: Path) -> list[str]:
    """What a copied file gives: read with plain sqlite3, as an attacker would."""
    with sqlite3.connect(db) as raw:
        return [row[0] for row in raw.execute("SELECT pin_hash FROM staff")]


def file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def test_the_database_file_alone_confirms_no_staff_pin(room: Room, db_path: Path) -> None:
    stored = staff_hashes(db_path)
    assert stored and not any(parse_pin_hash(h) for h in stored)  # no scrypt hash to attack
    guesses = ["0000", "1234", DEMO_STAFF_PIN, "9999"]
    assert not any(verify_pin(guess, h) for guess in guesses for h in stored)
    stranger = PinKey(os.urandom(32))  # the best an attacker can do: guess the key too
    with pytest.raises(SealedUnderAnotherKey):
        verify_sealed_pin(DEMO_STAFF_PIN, stored[0], stranger)
    assert verify_sealed_pin(DEMO_STAFF_PIN, stored[0], room.uow.pin_key)  # the device itself can
    assert pin_key_path_for(db_path).stat().st_mode & 0o077 == 0


def test_a_kiosk_file_from_before_sealing_is_sealed_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    open_database(db, ManualClock(START)).engine.dispose()
    plain = hash_pin("482913")  # as an older kiosk wrote what it pulled
    with sqlite3.connect(db) as raw:
        raw.execute(
            "INSERT INTO staff (id, name, role, pin_hash, active) "
            "VALUES (?, '王老师', 'administrator', ?, 1)",
            (uuid.uuid4().hex, plain),
        )
        raw.commit()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = plain.rsplit("$", 1)[1].encode()
    assert digest in file_bytes(db)

    uow = open_database(db, ManualClock(START))
    try:
        [sealed] = staff_hashes(db)
        assert sealed.startswith("sealed1$") and verify_sealed_pin("482913", sealed, uow.pin_key)
        assert digest not in file_bytes(db)  # nor left in a free page or the WAL
    finally:
        uow.engine.dispose()


def fail_until_locked(room: Room) -> int:
    for _ in range(4):
        with pytest.raises(WrongPin):
            staff.verify_staff_pin(room.uow, room.staff(), "0000")
    with pytest.raises(PinLocked) as locked:
        staff.verify_staff_pin(room.uow, room.staff(), "0000")
    return int(locked.value.params["minutes"])


def test_each_lockout_lasts_twice_as_long_until_the_right_pin(room: Room) -> None:
    lockouts = [fail_until_locked(room)]
    for _ in range(3):
        room.clock.advance(minutes=lockouts[-1])
        lockouts.append(fail_until_locked(room))
    assert lockouts == [5, 10, 20, 40]
    room.clock.advance(minutes=39)
    with pytest.raises(PinLocked):  # even the right PIN waits
        staff.verify_staff_pin(room.uow, room.staff(), DEMO_STAFF_PIN)
    room.clock.advance(minutes=1)
    staff.verify_staff_pin(room.uow, room.staff(), DEMO_STAFF_PIN)
    assert fail_until_locked(room) == 5  # the right PIN starts the count again


def test_lockouts_stop_growing_at_the_schools_cap(room: Room) -> None:
    with room.uow:
        save_setting(room.uow.session, "pin_lockout_max_minutes", 30)
        room.uow.commit()
    lockouts = []
    for _ in range(5):
        lockouts.append(fail_until_locked(room))
        room.clock.advance(minutes=lockouts[-1])
    assert lockouts == [5, 10, 20, 30, 30]


def test_a_pin_sealed_with_another_device_key_is_explained_not_counted(tmp_path: Path, room: Room) -> None:
    other = open_database(room.uow.engine.url.database, room.clock, PinKey(os.urandom(32)))
    try:
        before = room.state()
        with pytest.raises(PinSealedElsewhere):
            staff.verify_staff_pin(other, room.staff(), DEMO_STAFF_PIN)
        assert room.state() == before  # not a wrong PIN: no attempt counted, no lockout
    finally:
        other.engine.dispose()
