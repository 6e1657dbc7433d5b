"""The kiosk's health in one read, for the administrator's 状态 page and `python -m kiosk health` over
SSH: the same facts in both places, so a teacher on the phone with a technician reads out what the
technician sees.

It reads the database read-only and never waits on the network or a reader: a health check must
answer even when the kiosk it describes is stuck.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.backups import checks_out, list_backups
from db.models import SyncState, Visit
from db.version import software_version
from hardware.config import ReaderSettings
from kiosk.services.database_check import last_check
from kiosk.services.reader_state import load_reader_state
from sync.client.status import pending_event_count

FAKE_HWCLOCK_FILE = Path("/etc/fake-hwclock.data")


@dataclass(frozen=True)
class Health:
    version: str
    database: str
    database_bytes: int | None
    last_check_at: datetime | None
    last_check: str | None
    backups: int
    newest_backup_at: datetime | None
    newest_backup_ok: bool | None
    enrolled: bool
    server_url: str | None
    last_sync_at: datetime | None
    sync_error: str | None
    pending_events: int | None
    last_tap_at: datetime | None
    disk_free_bytes: int | None
    clock: str
    clock_kind: str  # ntp_synced | ntp_unsynced | fake_hwclock | unknown
    readers: list[str] = field(default_factory=list)  # "name: state", as the reader hub says it
    readers_seen_by: str = "kiosk"  # "kiosk": the running kiosk's readers; "probe": looked for here

    def as_json(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(self).items()}


def gather(
    db_path: Path, readers: list[str] | None = None, reader_settings: ReaderSettings | None = None
) -> Health:
    """`readers`: what the running app's hub reports (the 状态 page). None (the CLI, another process):
    what the running kiosk last noted beside its database (kiosk.services.reader_state), the same
    words as its 状态 page; with no kiosk running, what this machine shows of the readers
    `reader_settings` configures."""
    seen_by = "kiosk"
    if readers is None:
        noted = load_reader_state(db_path)
        if noted is not None and noted.live:
            readers = [f"{name}: {state}" for name, state in noted.readers.items()]
        else:
            readers, seen_by = probed_readers(reader_settings or ReaderSettings()), "probe"
    checked = last_check(db_path)
    backups = list_backups(db_path)
    newest = backups[0] if backups else None
    facts = _database_facts(db_path)
    clock_kind, clock = clock_source()
    return Health(
        version=software_version(),
        database=str(db_path),
        database_bytes=db_path.stat().st_size if db_path.exists() else None,
        last_check_at=checked[0] if checked else None,
        last_check=checked[1] if checked else None,
        backups=len(backups),
        newest_backup_at=newest.made_at if newest else None,
        newest_backup_ok=checks_out(newest.path) if newest else None,
        disk_free_bytes=_free(db_path.parent),
        clock=clock,
        clock_kind=clock_kind,
        readers=readers,
        readers_seen_by=seen_by,
        **facts,
    )


def _database_facts(db_path: Path) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "enrolled": False,
        "server_url": None,
        "last_sync_at": None,
        "sync_error": None,
        "pending_events": None,
        "last_tap_at": None,
    }
    if not db_path.exists():
        return facts
    engine = create_engine(f"sqlite:///file:{db_path}?mode=ro&uri=true")  # read-only: never takes a lock
    try:
        with Session(engine) as session:
            facts["pending_events"] = pending_event_count(session)
            facts["last_tap_at"] = session.scalar(select(func.max(Visit.signed_in_at)))
            state = session.get(SyncState, 1)
            if state is not None:
                facts.update(
                    enrolled=True,
                    server_url=state.server_url,
                    last_sync_at=state.last_success_at,
                    sync_error=state.last_error,
                )
    except SQLAlchemyError as exc:
        facts["sync_error"] = f"database not readable: {exc.__class__.__name__}"
    finally:
        engine.dispose()
    return facts


def size_text(size: int | None) -> str:
    """A file or disk size as the health report says it, on the screen and over SSH: in the unit that
    gives a number a person reads (744 KiB, 5.2 MiB, 29.0 GiB), never "0.0 MiB"."""
    if size is None:
        return "?"
    if size < 2**10:
        return f"{size} B"
    if size < 2**20:
        return f"{size / 2**10:.0f} KiB"
    if size < 2**30:
        return f"{size / 2**20:.1f} MiB"
    return f"{size / 2**30:.1f} GiB"


def _free(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def clock_source() -> tuple[str, str]:
    """Where the time comes from, as (kind, what a technician reads): NTP synchronised or not, else
    the clock fake-hwclock saved at the last shutdown, else unknown."""
    try:
        shown = subprocess.run(
            ["timedatectl", "show", "--property=NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        answer = shown.stdout.strip()
        if shown.returncode == 0 and answer in ("yes", "no"):
            return (
                ("ntp_synced", "ntp synchronised")
                if answer == "yes"
                else ("ntp_unsynced", "ntp not synchronised")
            )
    except (OSError, subprocess.TimeoutExpired):
        pass
    if FAKE_HWCLOCK_FILE.exists():
        return "fake_hwclock", f"fake-hwclock, saved {FAKE_HWCLOCK_FILE.read_text(encoding='utf-8').strip()}"
    return "unknown", "unknown (no NTP status, no saved clock)"


def probed_readers(settings: ReaderSettings) -> list[str]:
    """With no kiosk running: each configured kind of reader and what this machine shows of it. A
    keyboard-wedge reader types into the kiosk's window and nowhere else, so it is named, not tested."""
    from hardware.detect import likely_reader_ports  # noqa: PLC0415 - pyserial, only when asked
    from hardware.pcsc import visible_readers as pcsc_readers  # noqa: PLC0415
    from hardware.source import ReaderUnavailable  # noqa: PLC0415

    found = []
    if "pcsc" in settings.use:
        try:
            names = pcsc_readers()
            found += [f"PC/SC: {name}" for name in names] or ["PC/SC: no reader seen"]
        except ReaderUnavailable as exc:
            found.append(f"PC/SC: failing: {exc}")
    if "serial" in settings.use:
        found += [f"serial {port}: seen" for port in likely_reader_ports()] or ["serial: no adapter seen"]
    if "keyboard" in settings.use:
        found.append(f"{settings.keyboard.reader}: configured (heard only by the running kiosk)")
    return found
