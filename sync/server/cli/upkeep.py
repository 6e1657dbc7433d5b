"""The server's upkeep commands: migrate, backup, backups, restore-backup, check-backup, and
admin make-certificates (python -m sync.server …).

They open the database themselves and never migrate it first: `backup --reason upgrade` is run by the
new version of the server before its migrations, and a restore must not touch what it replaces.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sync.server.bootstrap import open_central
from sync.server.core.database import database_url, make_server_engine
from sync.server.core.student_numbers import SecretMismatch
from sync.server.operations import central_backups, certificates
from sync.server.operations.backup_store import DAILY, KEEP_DAILY, REASON, BackupFailed

DEFAULT_TLS_DIR = Path("/etc/liushou-server/tls")
Run = Callable[[argparse.Namespace], int]


def migrate(args: argparse.Namespace) -> int:
    # migrates (hashing stored student numbers with the key file), and rebuilds older report records
    database = open_central(args.database, secret_file=args.secret_file)
    database.engine.dispose()
    print("the database is up to date")
    return 0


def backup(args: argparse.Namespace) -> int:
    url = database_url(args.database)
    place = central_backups.place_of(url, args.backup_dir)
    engine = make_server_engine(url)
    try:
        made, deleted = central_backups.make(place, engine, args.reason, args.keep)
    finally:
        engine.dispose()
    for path in deleted:
        print(f"removed old backup {path.name}", file=sys.stderr)
    print(made.path)
    return 0


def list_backups(args: argparse.Namespace) -> int:
    place = central_backups.place_of(database_url(args.database), args.backup_dir)
    found = central_backups.backups_of(place)
    if not found:
        print(f"no backups in {place.folder}")
    for entry in found:
        state = "whole" if entry.complete else "CUT SHORT (no manifest)"
        rows = sum(entry.manifest.counts.values()) if entry.manifest else 0
        size = entry.path.stat().st_size / 2**20
        made = f"{entry.made_at:%Y-%m-%d %H:%M} UTC"
        print(f"{entry.path.name}  {made}  {size:8.1f} MiB  {rows:>10,} rows  {state}")
    return 0


def restore_backup(args: argparse.Namespace) -> int:
    url = database_url(args.database)
    place = central_backups.place_of(url, args.backup_dir)
    chosen = central_backups.find(place, args.backup)
    engine = make_server_engine(url)
    try:
        print(central_backups.restore(place, engine, chosen, force=args.force))
    finally:
        engine.dispose()
    return 0


def check_backup(args: argparse.Namespace) -> int:
    place = central_backups.place_of(database_url(args.database), args.backup_dir)
    result = central_backups.check(place)
    if result.ok:
        rows = sum(found or 0 for _, found in result.tables.values())
        print(f"{result.backup}: restored into a scratch database, {rows:,} rows in {len(result.tables)} "
              f"tables, every count as when it was made ({result.seconds:.0f} s)")  # fmt: skip
        return 0
    print(f"{result.backup or 'no backup'}: the restore check FAILED", file=sys.stderr)
    for problem in result.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def make_certificates(args: argparse.Namespace) -> int:
    issued = certificates.issue(args.dir, args.address, args.county, renew=args.renew)
    authority = "made" if issued.authority_made else "kept"
    print(f"certificate authority: {authority} {issued.ca_file}")
    server = "made" if issued.server_made else "kept"
    names = ", ".join(issued.addresses)
    print(f"server certificate: {server} for {names}, valid until {issued.expires_at:%Y-%m-%d}")
    if issued.server_made and not issued.authority_made:
        print(
            "restart the server to serve it (sudo systemctl restart liushou-server); the kiosks need nothing"
        )
    print(f"give each kiosk {issued.ca_file} as ca_file under [sync] in its kiosk.toml")
    return 0


def add_commands(commands: argparse._SubParsersAction, admin: argparse._SubParsersAction) -> None:
    """The upkeep commands, beside serve and admin in `python -m sync.server`."""

    def add(parent: argparse._SubParsersAction, name: str, run: Run, text: str) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=text, description=text)
        sub.set_defaults(run_without_database=run)
        return sub

    def backups_folder(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--backup-dir",
            help="PostgreSQL: where backups go (default: SYNC_BACKUP_DIR, else ./backups); "
            "SQLite: always beside the database file",
        )
        return sub

    add(commands, "migrate", migrate, "bring the database's schema up to date, then exit")
    made = backups_folder(add(commands, "backup", backup, "back the database up now (prints the file)"))
    made.add_argument("--reason", default=DAILY, type=_reason, help="daily (kept 14 deep), upgrade, …")
    made.add_argument("--keep", type=int, default=KEEP_DAILY, help="daily backups kept (default 14)")
    backups_folder(add(commands, "backups", list_backups, "list the database's backups, newest first"))
    restore = backups_folder(
        add(commands, "restore-backup", restore_backup, "put the database back as a backup holds it")
    )
    restore.add_argument("backup", help="the backup's file name (see: backups)")
    restore.add_argument("--force", action="store_true", help="even while other connections are open")
    backups_folder(
        add(
            commands,
            "check-backup",
            check_backup,
            "restore the newest backup into a scratch database, compare",
        )
    )
    tls = add(
        admin, "make-certificates", make_certificates, "the county's own CA and the server's certificate"
    )
    tls.add_argument("--address", action="append", required=True, help="IP or name the kiosks use (repeat)")
    tls.add_argument("--dir", type=Path, default=DEFAULT_TLS_DIR, help=f"default {DEFAULT_TLS_DIR}")
    tls.add_argument("--county", default="留守儿童之家", help="the bureau's name, shown in the authority")
    tls.add_argument(
        "--renew", action="store_true", help="a new server certificate even if the old one is fine"
    )


def run(args: argparse.Namespace) -> int:
    """Run an upkeep command; its failures are said in one line, not a traceback."""
    try:
        return int(args.run_without_database(args))
    except (BackupFailed, certificates.CertificateError, SecretMismatch) as exc:
        print(f"sync.server: {exc}", file=sys.stderr)
        return 2


def _reason(text: str) -> str:
    if not REASON.fullmatch(text):
        raise argparse.ArgumentTypeError("lower-case letters, digits and '-'")
    return text
