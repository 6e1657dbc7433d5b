"""`python -m kiosk` (what `make run` starts): open or create the database, load demo data on first
start, then run the kiosk."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from db.demo import DEMO_STAFF_PIN, has_demo_data, load_demo_data
from db.models import SyncState
from db.pin_seal import PinKey
from kiosk.commands import maintenance
from kiosk.commands import sync as sync_command
from kiosk.platform.config import ConfigError, KioskConfig, load_config
from kiosk.platform.device_key import DeviceKeyError, load_device_key
from kiosk.platform.words import refusal_message, translate
from kiosk.services.database_check import note_clean_stop
from kiosk.services.database_open import open_checked_database
from kiosk.services.errors import DeviceKeyUnavailable, Refusal
from kiosk.services.uow import UnitOfWork
from kiosk.ui.display import missing_display

if TYPE_CHECKING:
    from sync.client.worker import SyncWorker

log = logging.getLogger("kiosk")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sync"]:
        return sync_command.main(argv[1:])
    if any(word in maintenance.COMMANDS for word in argv):
        return maintenance.main(argv)
    parser = argparse.ArgumentParser(prog="kiosk", description="留守儿童之家 kiosk")
    parser.add_argument("--db", help="SQLite file (default: in the user's data directory; or KIOSK_DB)")
    parser.add_argument("--config", help="kiosk.toml (default: in the data directory; or KIOSK_CONFIG)")
    parser.add_argument("--console", action="store_true", help="text console instead of the touchscreen UI")
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data into an empty database")
    parser.add_argument("--locale", choices=("zh_CN", "en"), help="language (default zh_CN)")
    parser.add_argument("--windowed", action="store_true", help="touchscreen UI in an 800×480 window")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    try:
        config = load_config(db=args.db, config_file=args.config)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    locale = args.locale or config.locale
    if not args.console and (no_screen := missing_display(os.environ)) is not None:
        print(f"kiosk: {no_screen}", file=sys.stderr)
        return 2
    key = device_key_loader(config)
    if not args.console:  # trouble with the folder or the key is said on the screen, which retries
        return _run_touchscreen(config, locale, key, demo=not args.no_demo, windowed=args.windowed)
    try:
        uow, restored = open_checked_database(config.db_path, pin_key=key, hold_as="kiosk")
        if restored is not None:
            when = f"{restored.made_at:%Y-%m-%d %H:%M} UTC"
            key, params = restored.words(when)
            print(translate(key, locale, **params))
        log.info("database ready at %s", config.db_path)
        if not args.no_demo:
            _load_demo_if_empty(uow)
    except Refusal as refusal:
        print(f"kiosk: {refusal_message(refusal, locale)}", file=sys.stderr)
        return 4
    return _run_console(uow, locale)


def device_key_loader(config: KioskConfig) -> Callable[[], PinKey]:
    """The device key, read when the database is opened (kiosk.platform.device_key): a key that
    cannot be read is a refusal the screen or the console says, not a crash before the window opens."""

    def load() -> PinKey:
        try:
            return load_device_key(config.device_key, config.device_key_file, config.db_path).key
        except DeviceKeyError as exc:
            raise DeviceKeyUnavailable(reason=str(exc)) from exc

    return load


def _run_touchscreen(
    config: KioskConfig, locale: str, pin_key: Callable[[], PinKey], demo: bool, windowed: bool
) -> int:
    """The Kivy UI opens the database on its worker thread, so the first frame does not wait for it."""
    from kiosk.ui import launch  # noqa: PLC0415 - Kivy is imported only for the touchscreen
    from kiosk.ui.fonts import FontNotFound  # noqa: PLC0415

    try:
        return launch.run(
            config,
            locale,
            _load_demo_if_empty if demo else None,
            windowed=windowed,
            start_sync=sync_worker_starter(config),
            pin_key=pin_key,
        )
    except FontNotFound as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 3


def sync_worker_starter(config: KioskConfig) -> Callable[[UnitOfWork], SyncWorker]:
    """How the app starts the background sync thread once its database is open. It runs enrolled or
    not: a kiosk enrolled later with `python -m kiosk sync enrol` starts syncing within a minute."""

    def start(uow: UnitOfWork) -> SyncWorker:
        from sync.client import SyncClient  # noqa: PLC0415 - requests is not needed by the console
        from sync.client.transport import api_for_school  # noqa: PLC0415
        from sync.client.worker import SyncWorker  # noqa: PLC0415

        api = api_for_school(config.server_ca_file)
        client = SyncClient(uow.engine, uow.clock, api_factory=api, pin_key=uow.pin_key)
        worker = SyncWorker(client)
        worker.start()
        return worker

    return start


def _load_demo_if_empty(uow: UnitOfWork) -> None:
    with uow:
        # An enrolled kiosk's roster is its school's, even while it is still empty: demo children put
        # in now would stay beside the school's for good (pulls only ever add and update rows).
        if has_demo_data(uow.session) or uow.session.get(SyncState, 1) is not None:
            return
        summary = load_demo_data(uow.session, uow.clock.now(), pin_key=uow.pin_key)
        uow.commit()
    log.info("demo data loaded: %d children, %d book copies", summary.children, summary.books)
    # Printed, not logged: this is the newcomer's cheat sheet for trying the demo.
    print("演示数据 / demo data:")
    print(f"  学生卡 child cards: {', '.join(summary.sample_child_cards)}")
    print(f"  管理员卡 staff card: {summary.sample_staff_cards[0]}  PIN {DEMO_STAFF_PIN}")
    print(f"  条码 barcodes: {', '.join(summary.sample_barcodes)}")


def _run_console(uow: UnitOfWork, locale: str) -> int:
    from kiosk.commands.console import Console

    Console(uow, locale).run()
    uow.engine.dispose()
    note_clean_stop(Path(uow.engine.url.database or ""))
    return 0
