"""How long a child waits: from the card reaching the reader to the tap, and from the tap to the sign-in.

    python -m bench.readers                      # 200 serial taps, 60 PC/SC taps
    python -m bench.readers --serial 500 --pcsc 100 --db-dir /home/pi   # the database on the SD card

Two stages, measured on the real stacks the tests use:

1. reader -> tap delivered by `ReaderHub.get()`:
   * serial: an RDM6300 frame written into a pty pair read by pyserial; the clock starts when the frame's
     last byte has been written;
   * PC/SC: a virtual card put on a vpcd reader of a private pcscd; the clock starts when the card's
     connection to the reader is up (the virtual "card in the field"). Split into "pcscd noticed" (the
     daemon polls the reader) and "UID read and delivered" (our GET DATA and the hub).
2. tap -> committed sign-in: `kiosk.services.signin.tap_card` on a SQLite database with the demo school,
   every tap a child's first sign-in of the day (each round of children gets a fresh copy of the file).

It prints median and 95th percentile of each stage and the ratio of the second to the first. Timing
belongs here, never in the unit tests. Needs root for the private pcscd; without it the PC/SC part is
skipped with the reason.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from db.clock import SystemClock
from db.demo import load_demo_data
from db.models import Card, Child, Staff
from hardware.base import CardTap, em4100_uid
from hardware.frames import rdm6300_frame
from hardware.hub import ReaderHub
from hardware.pcsc import PcscContext, PcscSettings, PcscSource
from hardware.serial_reader import SerialSettings, SerialSource
from kiosk.services import signin
from kiosk.services.cards import register_card
from kiosk.services.database_open import open_database
from kiosk.services.uow import UnitOfWork
from tests.support.pcscd import PcscdUnavailable, PrivatePcscd
from tests.support.serial_line import VirtualSerialLine
from tests.support.vpcd import VirtualCard

WAIT = 10.0


@dataclass(frozen=True)
class Pupil:
    child_id: uuid.UUID
    nfc_uid: str  # the demo school's PC/SC card
    em4100_id: bytes  # a 125 kHz card registered for the bench, as an RDM6300 reads it


class BenchRoom:
    """The demo school in a SQLite file, with an EM4100 card registered for every child as well."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.sqlite3"
        uow = open_database(self.template, SystemClock())
        with uow:
            load_demo_data(uow.session, datetime.now(UTC), pin_key=uow.pin_key)
            uow.commit()
        with uow.read() as session:
            rows = session.execute(
                select(Child.id, Card.uid).join(Card, Card.child_id == Child.id).where(Child.active)
            ).all()
            admin = session.scalars(select(Staff.id).where(Staff.active)).first()
        assert admin is not None, "the demo school has no staff"
        self.pupils = []
        for n, (child_id, nfc_uid) in enumerate(rows):
            em_id = bytes([0x1A]) + (10_000_000 + n).to_bytes(4, "big")
            register_card(uow, admin, em4100_uid(em_id), child_id=child_id)
            self.pupils.append(Pupil(child_id, nfc_uid, em_id))
        uow.engine.dispose()
        with sqlite3.connect(self.template) as raw:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._copies = 0

    def fresh_day(self) -> UnitOfWork:
        """A copy of the school with nobody signed in yet."""
        self._copies += 1
        path = self.directory / f"day{self._copies}.sqlite3"
        shutil.copyfile(self.template, path)
        return open_database(path, SystemClock())


@dataclass
class Stage:
    name: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0]
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[18]


@dataclass
class Run:
    reader: str
    start: str
    to_tap: Stage
    to_signin: Stage
    parts: list[Stage] = field(default_factory=list)
    not_signed_in: int = 0


def measure(
    room: BenchRoom,
    hub: ReaderHub,
    count: int,
    present: Callable[[Pupil], float],
    lift: Callable[[Pupil], None],
    run: Run,
) -> None:
    """`present` puts a pupil's card to the reader and returns when (monotonic); `lift` takes it away."""
    uow: UnitOfWork | None = None
    for i in range(count):
        pupil = room.pupils[i % len(room.pupils)]
        if i % len(room.pupils) == 0:
            if uow is not None:
                uow.engine.dispose()
            uow = room.fresh_day()
        assert uow is not None
        started = present(pupil)
        tap = hub.get(WAIT)
        delivered = time.monotonic()
        if tap is None:
            raise SystemExit(f"{run.reader}: no tap within {WAIT} s; readers: {hub.status()}")
        result = signin.tap_card(uow, tap.uid)
        committed = time.monotonic()
        run.not_signed_in += not isinstance(result, signin.SignedIn)
        run.to_tap.seconds.append(delivered - started)
        run.to_signin.seconds.append(committed - delivered)
        for part, value in zip(run.parts, _parts(tap, started, delivered), strict=False):
            part.seconds.append(value)
        lift(pupil)
    if uow is not None:
        uow.engine.dispose()


def _parts(tap: CardTap, started: float, delivered: float) -> tuple[float, float]:
    """Split reader latency at the moment the adapter learned of the card (`tap.at`)."""
    return tap.at - started, delivered - tap.at


def bench_serial(room: BenchRoom, count: int, workdir: Path) -> Run:
    line = VirtualSerialLine(workdir / "ttyRDM6300")
    # A tiny debounce gap: the same child's card comes round again well within a second in this loop.
    hub = ReaderHub([SerialSource(SerialSettings(port=str(line.path)))], debounce_seconds=0.01).start()
    try:
        if not hub.wait_until_connected(WAIT):
            raise SystemExit(f"serial: port never opened: {hub.status()}")
        run = Run(
            "serial RDM6300 (pty pair, pyserial)",
            "frame's last byte written",
            Stage("frame -> tap"),
            Stage("tap -> sign-in"),
            [Stage("read by the adapter"), Stage("debounced and delivered")],
        )

        def present(pupil: Pupil) -> float:
            line.write(rdm6300_frame(pupil.em4100_id))
            return time.monotonic()

        def lift(pupil: Pupil) -> None:
            pass  # a frame is a single read: nothing rests on the reader

        measure(room, hub, count, present, lift, run)
        return run
    finally:
        hub.close()
        line.close()


def bench_pcsc(room: BenchRoom, count: int, workdir: Path) -> Run | str:
    try:
        daemon = PrivatePcscd(workdir / "pcscd")
    except PcscdUnavailable as exc:
        return str(exc)
    os.environ["PCSCLITE_CSOCK_NAME"] = str(daemon.client_socket)  # before this process's first PC/SC call
    with daemon:
        hub = ReaderHub([PcscSource(PcscSettings())]).start()
        try:
            if not hub.wait_until_connected(WAIT):
                raise SystemExit(f"PC/SC: never connected: {hub.status()}")
            run = Run(
                "PC/SC (private pcscd, vpcd virtual reader)",
                "card's link to the reader up",
                Stage("card -> tap"),
                Stage("tap -> sign-in"),
                [Stage("pcscd noticed the card"), Stage("UID read and delivered")],
            )
            cards: dict[uuid.UUID, VirtualCard] = {}
            slot = {"next": 0}

            def present(pupil: Pupil) -> float:
                # Alternate the two virtual readers, as two children at two readers would.
                card = VirtualCard(pupil.nfc_uid, daemon.vpcd_port + slot["next"] % 2)
                slot["next"] += 1
                cards[pupil.child_id] = card
                card.insert()
                assert card.inserted_at is not None
                return card.inserted_at

            def lift(pupil: Pupil) -> None:
                card = cards.pop(pupil.child_id)
                card.remove()
                reader = daemon.readers[(slot["next"] - 1) % 2]
                _wait_until_empty(reader)

            measure(room, hub, count, present, lift, run)
            return run
        finally:
            hub.close()


def _wait_until_empty(reader: str) -> None:
    """pcscd must see the card go before the next one comes, as a real reader would between children."""
    with PcscContext() as context:
        sc = context.scard
        state = sc.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            result, states = sc.SCardGetStatusChange(context.handle, 1000, [(reader, state)])
            if result == sc.SCARD_S_SUCCESS:
                state = states[0][1] & ~sc.SCARD_STATE_CHANGED
                if state & sc.SCARD_STATE_EMPTY:
                    return
    raise SystemExit(f"{reader} still shows a card after {WAIT} s")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def report(runs: list[Run], notes: list[str], db_dir: Path) -> None:
    print(f"Reader latency bench: {platform.machine()} {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, database on {db_dir} ({_filesystem(db_dir)})")  # fmt: skip
    print(f"{'':44}{'n':>5}{'median':>13}{'p95':>13}")
    for run in runs:
        print(f"{run.reader} (clock starts: {run.start})")
        for stage in (run.to_tap, *(Stage("  " + p.name, p.seconds) for p in run.parts), run.to_signin):
            print(f"  {stage.name:<42}{len(stage.seconds):>5}{ms(stage.median):>13}{ms(stage.p95):>13}")
        ratio_median = run.to_signin.median / run.to_tap.median
        ratio_p95 = run.to_signin.p95 / run.to_tap.p95
        print(f"  {'ratio (tap -> sign-in) / (reader -> tap)':<47}{ratio_median:>12.3f}x{ratio_p95:>12.3f}x")
        if run.not_signed_in:
            print(f"  WARNING: {run.not_signed_in} taps did not sign a child in")
    for note in notes:
        print(note)


def _filesystem(path: Path) -> str:
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                mount_point, fs_type = line.split()[1:3]
                if str(path.resolve()).startswith(mount_point) and len(mount_point) > len(best):
                    best, kind = mount_point, fs_type
    except OSError:
        pass
    return kind


@contextmanager
def _workdir(parent: Path | None) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="bench-readers-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.readers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--serial", type=int, default=200, help="serial taps to measure (0: skip)")
    parser.add_argument("--pcsc", type=int, default=60, help="PC/SC taps to measure (0: skip)")
    parser.add_argument("--db-dir", type=Path, help="where the SQLite files go (default: a temp dir)")
    args = parser.parse_args(argv)
    runs: list[Run] = []
    notes: list[str] = []
    with _workdir(args.db_dir) as workdir:
        room = BenchRoom(workdir)
        if args.serial:
            runs.append(bench_serial(room, args.serial, workdir))
        if args.pcsc:
            pcsc = bench_pcsc(room, args.pcsc, workdir)
            if isinstance(pcsc, str):
                notes.append(f"PC/SC skipped: {pcsc}")
            else:
                runs.append(pcsc)
        report(runs, notes, workdir)
    return 0 if all(run.not_signed_in == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
