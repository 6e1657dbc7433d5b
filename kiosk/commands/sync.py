"""`python -m kiosk sync enrol | now | status`: the kiosk's sync from a terminal (set-up, SSH checks).

The database path is found as the kiosk finds it (--db, KIOSK_DB, kiosk.toml, the data directory).
It lives in the kiosk package, not in sync/, because it reads the kiosk's config and opens the kiosk's
database: the sync client and the server stay below the kiosk and never import it.
"""

from __future__ import annotations

import argparse
import logging
import sys

from kiosk.platform.config import ConfigError, load_config
from kiosk.platform.device_key import DeviceKeyError, load_device_key
from kiosk.services.database_open import open_database
from sync.client import NotEnrolled, SyncClient
from sync.client.client import DEFAULT_BATCH_SIZE
from sync.client.pull import RosterMismatch
from sync.client.transport import InsecureServerUrl, TransportError, api_for_school, check_server_url
from sync.wire import MAX_EVENTS_PER_BATCH


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk sync", description="同步 sync with the school's server"
    )
    parser.add_argument("--db", help="the kiosk's SQLite file (default: as the kiosk finds it)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help="events per request (smaller on a poor link)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    enrol = commands.add_parser("enrol", help="enrol this kiosk with a one-time code, then take the roster")
    enrol.add_argument(
        "--server", help="e.g. http://192.168.1.10:8700 (default: server_url in kiosk.toml's [sync])"
    )
    enrol.add_argument("--code", required=True)
    enrol.add_argument("--label", help="a name for this kiosk on the server's list")
    enrol.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="accept an http:// server on another machine (its traffic is unencrypted)",
    )
    commands.add_parser("now", help="sync once, now")
    commands.add_parser("status", help="what the badge would say")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    try:
        config = load_config(db=args.db)
    except ConfigError as exc:
        print(f"sync: {exc}", file=sys.stderr)
        return 2
    if args.command == "enrol":  # refused before the database is touched
        if not (args.server or config.server_url):
            parser.error("enrol needs --server, or server_url under [sync] in kiosk.toml")
        try:
            check_server_url(args.server or config.server_url, allow_plain_http=args.allow_plain_http)
        except InsecureServerUrl as exc:
            parser.error(str(exc))
    try:
        device = load_device_key(config.device_key, config.device_key_file, config.db_path)
    except (DeviceKeyError, OSError) as exc:
        print(f"sync: {exc}", file=sys.stderr)
        return 2
    uow = open_database(config.db_path, pin_key=device.key)
    client = SyncClient(
        uow.engine,
        uow.clock,
        batch_size=max(1, min(args.batch_size, MAX_EVENTS_PER_BATCH)),
        api_factory=api_for_school(config.server_ca_file),
        pin_key=uow.pin_key,
    )
    try:
        if args.command == "enrol":
            report = client.enrol(
                args.server or config.server_url,
                args.code,
                args.label,
                allow_plain_http=args.allow_plain_http,
            )
            print(f"enrolled; roster taken: {report.pulled} rows; events sent: {report.pushed}")
        elif args.command == "now":
            report = client.sync_once()
            print(f"synced: {report.pushed} events sent, {report.pulled} rows received")
        _print_status(client)
    except (NotEnrolled, TransportError, RosterMismatch) as exc:
        print(f"sync: {exc}", file=sys.stderr)
        _print_status(client)
        return 1
    finally:
        uow.engine.dispose()
    return 0


def _print_status(client: SyncClient) -> None:
    status = client.status()
    print(f"configured: {status.configured}  online: {status.online}  pending: {status.pending_events}")
    print(f"last success: {status.last_success_at}  clock offset: {status.clock_offset_ms} ms")
    if status.last_error:
        print(f"last error: {status.last_error}")
