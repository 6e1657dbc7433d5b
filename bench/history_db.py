"""Kiosk databases with years of demo history, built once and cached under artifacts/bench-cache/.

Generating a million events takes minutes; the benchmarks that read such a file should not pay for it
on every run. The cache key is every parameter that changes the file's content.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from db.clock import ManualClock
from db.demo import load_demo_data
from db.demo_history import HISTORY_VERSION, HistoryRates, generate_history
from db.migrate import head_revision
from db.pin_key_file import pin_key_path_for
from kiosk.services.database_open import open_database
from kiosk.services.uow import UnitOfWork

CACHE = Path(__file__).resolve().parent.parent / "artifacts" / "bench-cache"
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # Monday afternoon in Shanghai, as in the tests


@dataclass(frozen=True)
class HistorySpec:
    first: date
    last: date
    sessions_per_day: int
    weekends: bool
    rates: HistoryRates
    pending_from: datetime | None = None  # events after this are not yet synced
    pending_events: int | None = None  # at most this many of the newest events are not yet synced
    seed: int = 7  # another seed is another kiosk's history (and device id)

    @property
    def key(self) -> str:
        text = repr(
            (
                self.first,
                self.last,
                self.sessions_per_day,
                self.weekends,
                asdict(self.rates),
                self.pending_from,
                self.pending_events,
                self.seed,
                HISTORY_VERSION,
                head_revision(),
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# About a million events: a busy room (open three times a day, weekends too) for five years.
FIVE_YEARS = HistorySpec(
    date(2021, 11, 23),
    date(2026, 11, 22),
    3,
    True,
    HistoryRates(visit=0.85, call_given_visit=0.3, book_given_visit=0.12, equipment_given_visit=0.45),
)
ONE_SEMESTER = HistorySpec(date(2026, 9, 1), date(2026, 11, 22), 1, False, HistoryRates())


def cached_kiosk_file(cached: Path, fill: Callable[[UnitOfWork], None]) -> Path:
    """`cached` built once by `fill` (given an open kiosk database) and kept: built under another name
    and renamed when whole, so a run that is stopped half-way leaves no file that looks finished. The
    PIN key file goes with it, or every run would leave a stray key beside the cache."""
    if cached.exists():
        return cached
    CACHE.mkdir(parents=True, exist_ok=True)
    building = cached.with_suffix(".building")
    building.unlink(missing_ok=True)
    uow = open_database(building, ManualClock(NOW))
    with uow:
        fill(uow)
        uow.commit()
    uow.engine.dispose()
    with sqlite3.connect(building) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pin_key_path_for(building).rename(pin_key_path_for(cached))
    building.rename(cached)
    for leftover in ("-wal", "-shm"):  # empty after the TRUNCATE checkpoint
        building.with_name(building.name + leftover).unlink(missing_ok=True)
    return cached


def history_db(spec: HistorySpec, into: Path) -> Path:
    """A private copy of the cached database for `spec` at `into` (built on first use)."""
    cached = CACHE / f"history-{spec.key}.sqlite3"
    if not cached.exists():
        started = time.perf_counter()

        def fill(uow: UnitOfWork) -> None:
            load_demo_data(uow.session, NOW, pin_key=uow.pin_key)
            summary = generate_history(
                uow.session,
                spec.first,
                spec.last,
                sessions_per_day=spec.sessions_per_day,
                weekends=spec.weekends,
                rates=spec.rates,
                seed=spec.seed,
                sent_before=spec.pending_from or (NOW if spec.pending_events is None else None),
                pending_events=spec.pending_events,
            )
            seconds = time.perf_counter() - started
            print(f"  (built {cached.name}: {summary.events:,} events in {seconds:.0f} s)")

        cached_kiosk_file(cached, fill)
    into.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, into)
    return into
