"""How the app gets its database: a `Startup` is handed to `KioskApp` by whoever starts it (the
launcher, a test, a bench), and the app opens the database from it on its worker thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.clock import Clock as ServiceClock
from db.pin_seal import PinKey
from kiosk.services.uow import UnitOfWork


@dataclass
class Startup:
    """How to get a database: open `db_path` (on the worker) with `clock` and the device's PIN seal
    key (None: the key file beside the database; or a loader, run on the worker too, so a key that
    cannot be read is said on screen), then `load_demo` if given."""

    db_path: Path
    clock: ServiceClock | None = None
    load_demo: Callable[[UnitOfWork], None] | None = None
    pin_key: PinKey | Callable[[], PinKey] | None = None
