"""What someone holding a kiosk's SD card learns about a staff PIN: the probe, against a real server.

    python -m bench.pin_attack                 # 300 scrypt guesses timed, extrapolated to all PINs
    python -m bench.pin_attack --guesses 2000

A real server (SQLite) with a demo school whose teacher has a random 6-digit PIN, and two real kiosks
enrolled with the real SyncClient: one whose device key stands for the Pi's OTP key (held by this
process, never written to its card's folder), one on the key-file fallback (the key on the card). For
each card, the probe does what a thief can: read the device token off the card, fetch the staff rows
with it (GET /v1/sync/changes), and test guesses — the right PIN among them — against what it fetched
and against the card's own database, as a scrypt hash and as a seal under every key file on the card.

Before issue 22 the token fetched the server's scrypt verifier itself; the "before" line times the
same guesses against that verifier (what the server keeps), which is what the card's token gave away.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import requests
from sqlalchemy import select

from db.clock import ManualClock
from db.models import Staff
from db.pin_hash import verify_pin
from db.pin_key_file import file_pin_key
from db.pin_seal import PinKey, SealedUnderAnotherKey, verify_sealed_pin
from kiosk.services import staff as kiosk_staff
from kiosk.services.database_open import open_database
from sync.client import SyncClient
from sync.client.token_store import load_token, token_path_for
from sync.server.bootstrap import open_central
from sync.server.cli.demo import import_demo_school
from sync.server.devices import provisioning
from sync.server.models import CentralStaff
from sync.server.office.staff_pins import check_pin, set_staff_pin
from tests.support.processes import ServerProcess


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pin_attack", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--guesses", type=int, default=300, help="scrypt guesses to time (the right PIN is added)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pin-attack-"))
    server = ServerProcess(f"sqlite:///{folder / 'central.sqlite3'}", folder / "server.log").start()
    try:
        run(server, folder, args.guesses)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(server: ServerProcess, folder: Path, guesses: int) -> None:
    central = open_central(server.database_url, migrate=False)
    pin = _random_pin()
    with central.writes() as session:
        school = provisioning.create_school(session, "基准小学")
        room = provisioning.create_room(session, school.id, "留守儿童之家")
        import_demo_school(session, school.id, datetime.now(UTC), 2026)
        teacher = session.scalars(select(CentralStaff).where(CentralStaff.school_id == school.id)).first()
        set_staff_pin(session, teacher.id, pin)
        codes = [provisioning.issue_enrolment_code(session, room.id).code for _ in range(2)]
        session.commit()
        teacher_id, kept = teacher.id, teacher.pin_hash
    central.engine.dispose()
    tries = [f"{n:06d}" for n in range(guesses)] + [pin]

    started = time.perf_counter()
    found = sum(verify_pin(guess, kept) for guess in tries)
    per_guess = (time.perf_counter() - started) / len(tries)
    print(f"before issue 22, the card's token fetched the server's scrypt verifier: {len(tries)} guesses")
    print(f"  incl. the right PIN: {found} confirmed, {per_guess * 1000:.1f} ms a guess on one core")
    print(f"  all 1,000,000 six-digit PINs: {per_guess * 1_000_000 / 3600:.1f} h on one core")

    for label, chip, code in (
        ("the Pi's OTP key", PinKey(os.urandom(32)), codes[0]),
        ("the key file", None, codes[1]),
    ):
        card = folder / label.replace(" ", "-").replace("'", "")
        card.mkdir()
        accepted = _enrol_and_try(card, chip, server.url, code, teacher_id, pin)
        fetched = _fetched_verifiers(server.url, card, teacher_id)
        started = time.perf_counter()
        confirmed = sum(_probe(verifier, card, guess) for verifier in fetched for guess in tries)
        spent = time.perf_counter() - started
        on_card = sum(_probe(verifier, card, pin) for verifier in _card_verifiers(card))
        print(f"now, a kiosk with {label}: the kiosk itself accepts the right PIN: {accepted}")
        print(
            f"  the teacher's verifier fetched with the card's token, {len(tries)} guesses incl. the right "
            f"PIN: {confirmed} confirmed ({spent:.1f} s); the card's database: {on_card} confirmed"
        )


def _random_pin() -> str:
    while True:
        pin = f"{secrets.randbelow(1_000_000):06d}"
        with contextlib.suppress(ValueError):
            check_pin(pin)
            return pin


def _enrol_and_try(card: Path, chip: PinKey | None, url: str, code: str, teacher, pin: str) -> bool:
    uow = open_database(card / "kiosk.sqlite3", ManualClock(datetime.now(UTC)), chip)
    try:
        SyncClient(uow.engine, uow.clock, pin_key=uow.pin_key).enrol(url, code)
        return kiosk_staff.verify_staff_pin(uow, teacher, pin).staff_id == teacher
    finally:
        uow.engine.dispose()


def _fetched_verifiers(url: str, card: Path, teacher) -> list[str]:
    """The teacher's verifier as the card's token fetches it (one row: every guess is a scrypt)."""
    token = load_token(token_path_for(card / "kiosk.sqlite3"))
    answer = requests.get(
        f"{url}/v1/sync/changes",
        params={"after": 0},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    answer.raise_for_status()
    return [row["pin_hash"] for row in answer.json()["staff"] if row["id"] == str(teacher)]


def _card_verifiers(card: Path) -> Iterable[str]:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{card / 'kiosk.sqlite3'}")
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(Staff.pin_hash)))
    finally:
        engine.dispose()


def _probe(verifier: str, card: Path, guess: str) -> bool:
    """One guess, tried every way the card allows: as a scrypt hash, and sealed under each key file on
    the card (verify_sealed_pin also tries the key the project's source derives from it for the server)."""
    if verify_pin(guess, verifier):
        return True
    for key_file in card.glob("*.pin-key"):
        with contextlib.suppress(SealedUnderAnotherKey):
            if verify_sealed_pin(guess, verifier, file_pin_key(key_file)):
                return True
    return False
