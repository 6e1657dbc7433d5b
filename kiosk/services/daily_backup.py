"""The kiosk backs itself up once a day, on a thread of its own, so a room never depends on a person
remembering to. It looks every hour whether the newest daily backup is a day old: a kiosk switched off
every evening still gets its backup the next afternoon. A failed backup (a full card) is logged and
tried again at the next look; it never touches the room's work."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.backups import DAILY, BackupFailed, list_backups, make_backup, prune_backups

log = logging.getLogger(__name__)

EVERY = timedelta(days=1)
LOOK_EVERY_SECONDS = 3600.0


def back_up_if_due(db_path: Path, keep: int, now: datetime | None = None) -> Path | None:
    """Make today's backup if the newest daily one is a day old (or there is none); the path, or None."""
    now = now or datetime.now(UTC)
    newest = next((b for b in list_backups(db_path) if b.reason == DAILY), None)
    if newest is not None and now - newest.made_at < EVERY:
        return None
    backup = make_backup(db_path, DAILY, now)
    prune_backups(db_path, keep_daily=keep)
    log.info("daily backup made: %s", backup.path.name)
    return backup.path


class DailyBackups:
    def __init__(self, db_path: Path, keep: int, look_every: float = LOOK_EVERY_SECONDS) -> None:
        self.db_path = db_path
        self.keep = keep
        self.look_every = look_every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-backups", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                back_up_if_due(self.db_path, self.keep)
            except BackupFailed as exc:
                log.warning("daily backup failed, trying again in an hour: %s", exc)
            except Exception:  # the thread must outlive anything; the room's work is not touched
                log.exception("daily backup failed unexpectedly")
            self._stop.wait(self.look_every)
