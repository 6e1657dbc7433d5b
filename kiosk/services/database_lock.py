"""One program at a time runs the kiosk's database: the kiosk itself (touchscreen or console),
`restore-backup` and `migrate` exclude each other.

A restore moves the live file aside: a kiosk still running would go on saying 签到成功 into the file
that was moved away, and those sign-ins would be lost to the database put in its place. So each of
them holds an advisory lock (flock) on `kiosk.sqlite3.lock` beside the database while it runs, and
the others refuse, naming who holds it. The kernel lets go when the holder ends, however it ends
(kill -9, a power cut): there is never a stale lock to clean up. `backup`, `backups`, `health` and
the sync commands take no lock: SQLite keeps them consistent, and a backup must work while the kiosk
runs (deploy/install.sh backs up before it stops the kiosk).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

from db.private_files import FILE_MODE
from kiosk.services.errors import DatabaseInUse


class DatabaseLock:
    """Held until released or until the process ends."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor lets go of the flock
            self._descriptor = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


_HELD: dict[Path, DatabaseLock] = {}  # this process's own, so a kiosk retrying its start re-uses it


def take_database_lock(db_path: Path, holder: str) -> DatabaseLock:
    """The lock for `holder` (kiosk, restore-backup, migrate), or DatabaseInUse naming who has it;
    the same lock again when this process holds it already. A folder the lock file cannot be made in
    raises its OSError (a read-only card: the caller says so)."""
    path = lock_path_for(db_path)
    held = _HELD.get(path)
    if held is not None and held.held:
        return held
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES) or not path.exists():
            raise
        descriptor = os.open(path, os.O_RDONLY)  # a read-only card: excluding each other still matters
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        who = _holder(path)
        holder_name, pid = who.get("holder", "?"), who.get("pid", "?")
        raise DatabaseInUse(path=str(db_path), holder=holder_name, pid=pid) from None
    with contextlib.suppress(OSError):  # who holds it, for the others' refusal (not on a read-only card)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, json.dumps({"holder": holder, "pid": os.getpid()}).encode())
    _HELD[path] = DatabaseLock(path, descriptor)
    return _HELD[path]


def release_database_lock(db_path: Path) -> None:
    """Let go of this process's lock on `db_path`, if it holds one (the kiosk's window closing)."""
    held = _HELD.pop(lock_path_for(db_path), None)
    if held is not None:
        held.release()


@contextlib.contextmanager
def database_lock(db_path: Path, holder: str) -> Iterator[DatabaseLock]:
    lock = take_database_lock(db_path, holder)
    try:
        yield lock
    finally:
        release_database_lock(db_path)


def _holder(path: Path) -> dict[str, object]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8") or "{}"))
    except (OSError, ValueError):
        return {}
