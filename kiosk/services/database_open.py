"""Opening the kiosk's database: migrate it, make sure it knows which device it is, seal any staff PIN
hash not yet sealed with the device key, return a unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from db.clock import Clock, SystemClock
from db.engine import make_engine
from db.migrate import upgrade
from db.models import DeviceIdentity, Staff
from db.pin_key_file import file_pin_key, pin_key_path_for
from db.pin_seal import PinKey, is_sealed, seal_pin_hash
from db.private_files import private_folder
from kiosk.services.database_check import Restored, check_or_restore
from kiosk.services.database_lock import release_database_lock, take_database_lock
from kiosk.services.errors import DatabaseIsAFolder
from kiosk.services.storage import refused_on_storage_trouble
from kiosk.services.uow import UnitOfWork


def open_checked_database(
    path: Path,
    clock: Clock | None = None,
    pin_key: PinKey | Callable[[], PinKey] | None = None,
    *,
    hold_as: str | None = None,
) -> tuple[UnitOfWork, Restored | None]:
    """The kiosk's way in: check the file (restoring the newest good backup if it is damaged, lost or
    emptied), then open it. `hold_as` (kiosk, migrate) first takes the lock that keeps the kiosk,
    `restore-backup` and `migrate` apart (kiosk.services.database_lock), kept until the process ends.
    `pin_key` may be a loader, so a device key that cannot be read yet is refused like the rest. Disk
    trouble on the way (a read-only folder, a full card, a lock held by another program, a folder
    where the file should be) is a refusal naming the path, never a traceback."""
    with refused_on_storage_trouble(path):
        if path.is_dir():
            raise DatabaseIsAFolder(path=str(path))
        private_folder(path.parent)
        if hold_as is not None:
            take_database_lock(path, hold_as)
        try:
            key = pin_key() if callable(pin_key) else pin_key
            restored = check_or_restore(path)
            return open_database(path, clock, key), restored
        except BaseException:
            if hold_as is not None:  # another program may now fix what stopped us (restore-backup)
                release_database_lock(path)
            raise


def open_database(path: Path | str, clock: Clock | None = None, pin_key: PinKey | None = None) -> UnitOfWork:
    """Create or upgrade the SQLite file at `path` and return a unit of work on it. `pin_key` is the
    device key (kiosk.platform.device_key); without one, the key file beside the database
    (db.pin_key_file)."""
    engine = make_engine(path)
    upgrade(engine)
    clock = clock or SystemClock()
    ensure_device_identity(engine, clock)
    key = pin_key or file_pin_key(pin_key_path_for(path))
    seal_stored_pins(engine, key)
    return UnitOfWork(engine, clock, key)


def ensure_device_identity(engine: Engine, clock: Clock) -> uuid.UUID:
    """The device id is born with the file and never changes: events from this kiosk carry it."""
    with Session(engine) as session, session.begin():
        identity = session.get(DeviceIdentity, 1)
        if identity is None:
            identity = DeviceIdentity(singleton=1, device_id=uuid.uuid4(), next_seq=1, created_at=clock.now())
            session.add(identity)
        return identity.device_id


def seal_stored_pins(engine: Engine, key: PinKey) -> int:
    """A file written before PINs were sealed holds the server's scrypt hashes: seal them, then
    checkpoint the WAL so the old page images are gone from the file as well (secure_delete zeroes
    what the update frees). Returns how many were sealed."""
    with Session(engine) as session, session.begin():
        raw = [(i, h) for i, h in session.execute(select(Staff.id, Staff.pin_hash)) if not is_sealed(h)]
        for staff_id, stored in raw:
            sealed = seal_pin_hash(stored, key)
            session.execute(update(Staff).where(Staff.id == staff_id).values(pin_hash=sealed))
    if raw:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(raw)
