"""`python -m kiosk sync enrol | now | status`: the kiosk's sync from a terminal (set-up, SSH checks).

The database path is found as the kiosk finds it (--db, KIOSK_DB, kiosk.toml, the data directory).
It lives in the kiosk package, not in sync/, because it reads the kiosk's config and opens the kiosk's
database: the sync client and the server stay below the kiosk and never import it.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import TypeAdapter, ValidationError

from kiosk.platform.config import ConfigError, load_config
from kiosk.platform.device_key import DeviceKeyError, load_device_key
from kiosk.platform.words import refusal_message
from kiosk.services.database_open import open_database
from kiosk.services.enrolment import SCHEME, read_enrolment_scan
from kiosk.services.errors import Refusal
from kiosk.services.storage import refused_on_storage_trouble, storage_refusal
from sync.client import NotEnrolled, SyncClient
from sync.client.client import DEFAULT_BATCH_SIZE
from sync.client.pull import RosterMismatch
from sync.client.transport import InsecureServerUrl, TransportError, api_for_school, check_server_url
from sync.wire import LABEL_MAX, MAX_EVENTS_PER_BATCH, EnrolmentCode


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
    enrol.add_argument(
        "qr", nargs="?", help=f"the office's QR code as text ({SCHEME}:?server=…&code=…), instead of the two"
    )
    enrol.add_argument("--code", help="the enrolment code the office shows (or its QR code's text)")
    enrol.add_argument("--label", help=f"a name for this kiosk on the server's list (at most {LABEL_MAX})")
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
        try:
            args.server, args.code = enrolment_from(args, config.server_url)
        except ValueError as exc:
            parser.error(str(exc))
    try:
        with refused_on_storage_trouble(config.db_path):
            device = load_device_key(config.device_key, config.device_key_file, config.db_path)
            uow = open_database(config.db_path, pin_key=device.key)
    except DeviceKeyError as exc:
        print(f"sync: {exc}", file=sys.stderr)
        return 2
    except Refusal as refusal:
        print(f"sync: {refusal_message(refusal, 'en')}", file=sys.stderr)
        return 1
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
    except Exception as exc:
        refusal = storage_refusal(exc, config.db_path)  # a full card, a lock held elsewhere …
        if refusal is None:
            raise
        print(f"sync: {refusal_message(refusal, 'en')}", file=sys.stderr)
        return 1
    finally:
        uow.engine.dispose()
    return 0


def enrolment_from(args: argparse.Namespace, configured_server: str | None) -> tuple[str, str]:
    """The server and the code, from the QR code's text (given on its own, or pasted as --code) or
    from --server and --code; checked as the server would check them, before anything is written."""
    scanned = next((t for t in (args.qr, args.code) if t and t.strip().startswith(f"{SCHEME}:")), None)
    if scanned is not None:
        scan = read_enrolment_scan(scanned)
        if scan is None:
            raise ValueError(f"that is not the office's enrolment QR code: {scanned!r}")
        if args.server and args.server != scan.server:
            raise ValueError(f"the QR code is for {scan.server}, not --server {args.server}")
        server, code = scan.server, scan.code
    else:
        if args.qr:
            raise ValueError(f"{args.qr!r} is not the office's QR code text ({SCHEME}:?server=…&code=…)")
        if not args.code:
            raise ValueError("enrol needs --code, or the office's QR code text")
        server, code = args.server or configured_server, args.code
    if not server:
        raise ValueError("enrol needs --server, or server_url under [sync] in kiosk.toml")
    if args.label is not None and len(args.label) > LABEL_MAX:
        raise ValueError(f"--label is at most {LABEL_MAX} characters; this one has {len(args.label)}")
    try:
        code = TypeAdapter(EnrolmentCode).validate_python(code.strip())
        return check_server_url(server, allow_plain_http=args.allow_plain_http), code
    except ValidationError as exc:
        raise ValueError(f"{code!r} is not an enrolment code: {exc.errors()[0]['msg']}") from None
    except InsecureServerUrl as exc:
        raise ValueError(str(exc)) from None


def _print_status(client: SyncClient) -> None:
    status = client.status()
    print(f"configured: {status.configured}  online: {status.online}  pending: {status.pending_events}")
    print(f"last success: {status.last_success_at}  clock offset: {status.clock_offset_ms} ms")
    if status.last_error:
        print(f"last error: {status.last_error}")
