"""`python -m kiosk backup | restore-backup | backups | health`: the database's backups from a shell, for the
technician over SSH and for the upgrade script, which backs up before it migrates.

Plain words on standard output and an exit code a script can test: 0 done, 1 the backup or restore
failed (the message says why and names the file), 2 the command line or the configuration is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from db.backups import BackupFailed, list_backups, make_backup, prune_backups, restore_backup
from kiosk.platform.config import ConfigError, KioskConfig, load_config
from kiosk.platform.device_key import DeviceKeyError, load_device_key
from kiosk.platform.words import refusal_message
from kiosk.services.database_check import note_clean_stop
from kiosk.services.database_lock import database_lock
from kiosk.services.database_open import open_checked_database
from kiosk.services.errors import Refusal
from kiosk.services.health import Health, gather, size_text
from kiosk.services.storage import refused_on_storage_trouble

COMMANDS = ("backup", "restore-backup", "backups", "health", "migrate")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="the kiosk database's backups")
    parser.add_argument("--db", help="SQLite file (default: as the kiosk finds it)")
    parser.add_argument("--config", help="kiosk.toml")
    where = argparse.ArgumentParser(add_help=False)  # the same options after the command, too
    where.add_argument("--db", default=argparse.SUPPRESS)
    where.add_argument("--config", default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("backup", parents=[where], help="make a checked backup now, print its path")
    made.add_argument("--reason", default="manual", help="a word in its name: daily, upgrade, manual …")
    restored = commands.add_parser("restore-backup", parents=[where], help="put a backup in place")
    restored.add_argument("path", type=Path)
    commands.add_parser("backups", parents=[where], help="list the backups, newest first")
    health = commands.add_parser(
        "health", parents=[where], help="readers, database, backups, sync, disk, clock"
    )
    health.add_argument("--json", action="store_true", help="as JSON, for scripts")
    commands.add_parser("migrate", parents=[where], help="check and upgrade the database, then stop")
    args = parser.parse_args(argv)
    try:
        config = load_config(db=args.db, config_file=args.config)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    try:
        with refused_on_storage_trouble(config.db_path):
            run(args, config)
    except Refusal as refusal:
        print(f"kiosk: {refusal_message(refusal, 'en')}", file=sys.stderr)
        return 1
    except (BackupFailed, ValueError, DeviceKeyError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace, config: KioskConfig) -> None:
    """One command; disk trouble leaves it as the refusal that says so (kiosk.services.storage)."""
    db_path = config.db_path
    if args.command == "backup":
        backup = make_backup(db_path, args.reason)
        prune_backups(db_path, keep_daily=config.backups_kept)
        print(backup.path)
    elif args.command == "restore-backup":
        with database_lock(db_path, "restore-backup"):  # never under a running kiosk, nor a migrate
            aside = restore_backup(db_path, args.path)
        print(f"restored {args.path} as {db_path}; the file it replaced is kept as {aside}")
    elif args.command == "migrate":
        migrate(config)
    elif args.command == "health":
        report = gather(db_path, reader_settings=config.readers)
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) if args.json else describe(report))
    else:
        for backup in list_backups(db_path):
            when = f"{backup.made_at:%Y-%m-%d %H:%M} UTC"
            print(f"{when}  {backup.reason:<8} {backup.size:>10}  {backup.path}")


READERS_SEEN_BY = {
    "kiosk": "(as the running kiosk sees them)",
    "probe": "(no kiosk running: what this machine shows)",
}


def describe(health: Health) -> str:
    """The health report as lines a person reads over SSH (English: it is the technician's tool)."""
    backup_state = {None: "", True: " (checks out)", False: " (DAMAGED)"}[health.newest_backup_ok]
    enrolled = f"enrolled with {health.server_url}" if health.enrolled else "not enrolled"
    sync_error = f" - {health.sync_error}" if health.sync_error else ""
    pending = "?" if health.pending_events is None else str(health.pending_events)
    rows = [
        ("version", health.version),
        ("database", f"{health.database} ({size_text(health.database_bytes)})"),
        ("last check", f"{_when(health.last_check_at)}: {health.last_check or 'not checked yet'}"),
        ("backups", f"{health.backups}, newest {_when(health.newest_backup_at)}{backup_state}"),
        ("sync", enrolled),
        ("last sync", f"{_when(health.last_sync_at)}{sync_error}"),
        ("pending events", pending),
        ("last card tap", _when(health.last_tap_at)),
        ("disk free", size_text(health.disk_free_bytes)),
        ("clock", health.clock),
        ("readers", ", ".join(health.readers) or "none configured"),
        ("", READERS_SEEN_BY[health.readers_seen_by]),
    ]
    return "\n".join(f"{label:<16} {value}" for label, value in rows)


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


def migrate(config: KioskConfig) -> None:
    """What the upgrade script runs with the new version before switching to it: the start-up check
    and the schema migrations, with the kiosk's own device key, and nothing else."""
    device = load_device_key(config.device_key, config.device_key_file, config.db_path)
    uow, restored = open_checked_database(config.db_path, pin_key=device.key, hold_as="migrate")
    uow.engine.dispose()
    note_clean_stop(config.db_path)  # checked just now: the kiosk's next start need not read it again
    if restored is not None:
        print(f"the database was damaged; restored the backup of {restored.made_at:%Y-%m-%d %H:%M} UTC")
    print(f"database ready: {config.db_path}")
