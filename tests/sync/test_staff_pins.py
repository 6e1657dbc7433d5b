"""Staff PINs across the wire: set at the centre, pulled by a real kiosk, sealed before the kiosk's file
ever holds them. The server's scrypt hash must not be found anywhere in the kiosk's files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db.demo import DEMO_STAFF_PIN
from kiosk.services import staff
from kiosk.services.errors import WrongPin
from sync.server.models import CentralStaff
from sync.server.office.staff_pins import PinRefused, check_pin, set_staff_pin
from tests.support.processes import REPO, ServerProcess
from tests.sync.conftest import Central, SchoolRef


def central_hashes(central: Central, school: SchoolRef) -> list[str]:
    with central.db.reads() as session:
        return list(session.scalars(select(CentralStaff.pin_hash).where(CentralStaff.school_id == school.id)))


def kiosk_files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_a_pulled_pin_hash_is_sealed_before_it_reaches_the_kiosks_files(
    central: Central, school: SchoolRef, new_kiosk, server: ServerProcess
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    room = kiosk.room
    assert staff.verify_staff_pin(kiosk.uow, room.staff(), DEMO_STAFF_PIN).staff_id == room.staff()
    kiosk.close()  # everything on disk, as on a card pulled from the Pi
    files = kiosk_files(kiosk.path)
    for stored in central_hashes(central, school):
        salt, digest = stored.split("$")[-2:]
        assert salt.encode() in files  # the kiosk has the salt (it needs it) …
        assert digest.encode() not in files  # … but never the digest a PIN could be tested against


def test_a_pin_set_at_the_centre_works_at_the_kiosk_after_its_next_sync(
    central: Central, school: SchoolRef, new_kiosk, server: ServerProcess
) -> None:
    kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(school))
    teacher = kiosk.room.staff()
    with central.edit() as session:
        set_staff_pin(session, teacher, "582914")
    kiosk.sync()
    assert staff.verify_staff_pin(kiosk.uow, teacher, "582914").staff_id == teacher
    with pytest.raises(WrongPin):
        staff.verify_staff_pin(kiosk.uow, teacher, DEMO_STAFF_PIN)


@pytest.mark.parametrize(
    "pin", ["2468", "123456", "987654", "000000", "135791", "121212", "12345a", "１２３４５６", "123456789"]
)
def test_pins_anyone_would_guess_first_are_refused(pin: str) -> None:
    with pytest.raises(PinRefused):
        check_pin(pin)


def test_the_set_staff_pin_command_reads_the_pin_from_stdin_never_argv(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'c.sqlite3'}"

    def command(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "sync.server", "--database", database, "admin", *args]
        return subprocess.run(argv, cwd=REPO, input=stdin, capture_output=True, text=True, timeout=60)

    school = command("create-school", "某某小学").stdout.strip()
    command("create-room", "--school", school, "留守儿童之家")
    assert command("import-demo", "--school", school).returncode == 0
    first = command("staff", "--school", school).stdout.split()[0]
    assert command("set-staff-pin", first, stdin="111111\n").returncode == 2  # too easy
    done = command("set-staff-pin", first, stdin="582914\n")
    assert done.returncode == 0 and "582914" not in done.stdout + done.stderr
