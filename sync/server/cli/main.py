"""`python -m sync.server serve | admin …`: run the school's server, or administer it.

The database comes from --database, else SYNC_DATABASE_URL, else a SQLite file in the current folder;
PostgreSQL URLs look like postgresql://user@host:5432/liushou. Codes and tokens are printed once and
never logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta

from sync.server.bootstrap import open_central
from sync.server.cli import serving, upkeep
from sync.server.cli.demo import import_demo_school
from sync.server.cli.exposure import PlainHttpRefused, check_listen_address
from sync.server.core.clock import now_of
from sync.server.core.database import CentralDatabase
from sync.server.core.student_numbers import SECRET_FILE_ENV, SecretMismatch, default_secret_file
from sync.server.devices import provisioning
from sync.server.models import OfficeRole
from sync.server.office import audit, schools, staff_pins
from sync.server.office.accounts import users
from sync.server.operations.metrics import allowed_networks

Command = Callable[[CentralDatabase, argparse.Namespace], None]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    quiet = (
        getattr(args, "run", None) is not serve
    )  # admin commands print their result, not alembic's chatter
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if hasattr(args, "run_without_database"):  # upkeep: never migrates before it runs
        return upkeep.run(args)
    try:
        database = open_central(args.database, secret_file=args.secret_file)
    except SecretMismatch as exc:
        print(f"sync.server: {exc}", file=sys.stderr)
        return 2
    try:
        args.run(database, args)
    except provisioning.AdminError as exc:
        print(f"sync.server: {exc}", file=sys.stderr)
        return 2
    finally:
        database.engine.dispose()
    return 0


def serve(database: CentralDatabase, args: argparse.Namespace) -> None:
    if bool(args.certfile) != bool(args.keyfile):
        raise SystemExit("serve: --certfile and --keyfile go together")
    try:
        check_listen_address(args.host, tls=bool(args.certfile), allow_plain_http=args.allow_plain_http)
        allowed_networks(args.metrics_from)
    except (PlainHttpRefused, ValueError) as exc:
        raise SystemExit(str(exc)) from None
    options = serving.ServeOptions(
        database.engine.url.render_as_string(hide_password=False),
        api_docs=args.api_docs,
        backup_dir=args.backup_dir,
        metrics_from=args.metrics_from,
        forwarded_allow_ips=args.forwarded_allow_ips,
        secret_file=str(database.student_key.path.resolve()) if database.student_key.path else None,
    )
    tls = (args.certfile, args.keyfile) if args.certfile else None
    serving.serve(options, database, host=args.host, port=args.port, workers=args.workers, tls=tls)


def create_school(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        school = provisioning.create_school(session, args.name)
        if args.county is not None:
            schools.join_county(session, school, args.county)
        session.commit()
        print(school.id)


def create_county(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        county = schools.create_county(session, args.name)
        session.commit()
        print(county.id)


def create_user(database: CentralDatabase, args: argparse.Namespace) -> None:
    """The first school administrator (and bureau viewers) are made here; the rest in the web app."""
    password = _read_password(args.password_stdin)
    role = OfficeRole(args.role)
    with database.writes() as session:
        try:
            user = users.create_user(
                session,
                username=args.username,
                display_name=args.display_name or args.username,
                password=password,
                role=role,
                school_id=args.school,
                county_id=args.county,
            )
        except users.AccountError as exc:
            raise provisioning.AdminError(_ACCOUNT_PROBLEMS.get(exc.code, exc.code)) from exc
        audit.record(
            session, audit.Actor(None), "user_created", school_id=user.school_id, subject=f"user:{user.id}"
        )
        session.commit()
    print(f"created {role.value} {user.username}")


_ACCOUNT_PROBLEMS = {
    "password_too_short": f"the password needs at least {users.MIN_PASSWORD_LENGTH} characters",
    "password_contains_username": "the password must not contain the user name",
    "password_too_simple": "the password needs at least four different characters",
    "password_common": "this is a common password, or one found in leaked password lists: choose another",
    "password_names": "the password must not contain the user's name, user name or the school's name",
    "password_guessable": "the password is too easy to guess (keyboard runs, repeats, dates, common words)",
    "username_taken": "that user name is taken",
    "username_invalid": "a user name is 3-40 letters, digits, '.', '_' or '-'",
    "bureau_needs_county": "a bureau viewer needs --county (an existing county id) and no --school",
    "school_user_needs_school": "a school user needs --school (an existing school id) and no --county",
}


def _read_password(from_stdin: bool) -> str:
    """From standard input (for scripts), else asked twice without echo; never from the command line,
    where `ps` and the shell's history would show it."""
    if from_stdin or not sys.stdin.isatty():  # piped in (`… | create-user …`): one line, not asked twice
        line = sys.stdin.readline()
        if not line.strip():
            raise provisioning.AdminError("no password on standard input (give it as the first line)")
        return line.rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise provisioning.AdminError("the two passwords differ")
    return first


def create_room(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        room = provisioning.create_room(session, args.school, args.name)
        session.commit()
        print(room.id)


def enrolment_code(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        issued = provisioning.issue_enrolment_code(session, args.room, timedelta(hours=args.hours))
        session.commit()
    print(issued.code)
    print(f"valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)


def revoke(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        provisioning.revoke_device(session, args.device)
        session.commit()
    print(f"revoked {args.device}")


def import_demo(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.writes() as session:
        summary = import_demo_school(session, args.school, now_of(session), args.seed)
        session.commit()
    print(
        f"demo school loaded: {summary.children} children, {summary.books} book copies, {summary.staff} staff"
    )


def devices(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.reads() as session:
        for d in provisioning.devices_of(session, args.school):
            state = "revoked" if d.revoked_at else "active"
            print(
                f"{d.id}  {state:8} room={d.room_id} last_seen={d.last_seen_at} "
                f"clock_offset_ms={d.clock_offset_ms}"
            )


def conflicts(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.reads() as session:
        for c in provisioning.open_conflicts(session, args.school):
            print(f"{c.id}  {c.kind.value:32} detected {c.detected_at:%Y-%m-%d %H:%M}  {c.detail}")


def set_aside(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.reads() as session:
        for e in provisioning.open_set_aside_events(session, args.school):
            print(
                f"{e.id}  device={e.device_id} seq={e.seq} type={e.type[:40]!r} {e.reason.value} "
                f"received {e.received_at:%Y-%m-%d %H:%M}  {e.detail}"
            )


def set_staff_pin(database: CentralDatabase, args: argparse.Namespace) -> None:
    """The PIN is read from the terminal without echo (twice), or from one line of standard input for
    a script: never from the command line, where `ps` shows it to every user of the machine."""
    if sys.stdin.isatty():
        pin = getpass.getpass("new PIN (6-8 digits): ")
        if getpass.getpass("again: ") != pin:
            raise provisioning.AdminError("the two PINs differ; nothing changed")
    else:
        pin = sys.stdin.readline().strip()
    with database.writes() as session:
        staff = staff_pins.set_staff_pin(session, args.staff, pin)
        session.commit()
    print(f"PIN set for {staff.id}; kiosks take it at their next sync")


def list_staff(database: CentralDatabase, args: argparse.Namespace) -> None:
    with database.reads() as session:
        for s in staff_pins.staff_of(session, args.school):
            print(f"{s.id}  {s.role.value:14} {'active' if s.active else 'inactive':8} {s.name}")


def _parser() -> argparse.ArgumentParser:
    database_help = "SQLAlchemy URL (default: SYNC_DATABASE_URL or ./liushou-central.sqlite3)"
    parser = argparse.ArgumentParser(prog="python -m sync.server", description="留守儿童之家 central server")
    secret_help = (
        "the server's secret key file, which student numbers are hashed with; keep it and back it up "
        f"apart from the database (default: {SECRET_FILE_ENV} or {default_secret_file()}; made if absent)"
    )
    parser.add_argument("--database", help=database_help)
    parser.add_argument("--secret-file", help=secret_help)
    # The same options after the command too (`serve --database …`, as `make server ARGS=…` passes it);
    # SUPPRESS keeps an absent one from hiding the one given before the command.
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("--database", default=argparse.SUPPRESS, help=database_help)
    after.add_argument("--secret-file", default=argparse.SUPPRESS, help=secret_help)
    commands = parser.add_subparsers(required=True)

    run = commands.add_parser("serve", parents=[after], help="run the HTTP API (migrates the database first)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8700)
    run.add_argument("--certfile", help="TLS certificate (PEM): serve HTTPS, as a school's LAN needs")
    run.add_argument("--keyfile", help="the certificate's private key (PEM)")
    run.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="serve plain HTTP on an address other machines can reach (a test bench, or behind a TLS proxy)",
    )
    run.add_argument("--api-docs", action="store_true", help="serve /docs and /openapi.json (off by default)")
    run.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="a TLS proxy in front (e.g. 127.0.0.1): believe its X-Forwarded-For/-Proto; from nobody else",
    )
    run.add_argument(
        "--workers", type=_workers, default=1, help="worker processes (default 1; a county: a core each)"
    )
    run.add_argument(
        "--metrics-from", default="", help="networks besides this machine that may read /metrics"
    )
    run.add_argument(
        "--backup-dir", help="PostgreSQL: where the backups are, for /healthz (default: SYNC_BACKUP_DIR)"
    )
    run.set_defaults(run=serve)

    admin_parser = commands.add_parser("admin", parents=[after], help="administer schools, rooms and kiosks")
    admin_commands = admin_parser.add_subparsers(required=True)

    def add(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        sub = admin_commands.add_parser(name, parents=[after], help=help_text)
        sub.set_defaults(run=run)
        return sub

    school = add("create-school", create_school, "create a school; prints its id")
    school.add_argument("name")
    school.add_argument("--county", type=uuid.UUID, help="the county (bureau) the school belongs to")
    add("create-county", create_county, "create a county (education bureau); prints its id").add_argument(
        "name"
    )
    user = add(
        "create-user", create_user, "create an office user (the first school administrator, bureau viewers)"
    )
    user.add_argument("username")
    user.add_argument("--role", choices=[r.value for r in OfficeRole], required=True)
    user.add_argument("--school", type=uuid.UUID, help="for school_admin and school_staff")
    user.add_argument("--county", type=uuid.UUID, help="for bureau_viewer")
    user.add_argument("--display-name", help="the name shown in the office pages (default: the user name)")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    room = add("create-room", create_room, "create a room in a school; prints its id")
    room.add_argument("--school", type=uuid.UUID, required=True)
    room.add_argument("name")
    code = add("enrolment-code", enrolment_code, "a one-time code that enrols one kiosk in a room")
    code.add_argument("--room", type=uuid.UUID, required=True)
    code.add_argument("--hours", type=float, default=24.0)
    add("revoke", revoke, "revoke a kiosk's token").add_argument("device", type=uuid.UUID)
    demo = add("import-demo", import_demo, "load the deterministic demo school (same ids as a demo kiosk)")
    demo.add_argument("--school", type=uuid.UUID, required=True)
    demo.add_argument("--seed", type=int, default=2026)
    add("devices", devices, "list a school's kiosks").add_argument("--school", type=uuid.UUID, required=True)
    add("conflicts", conflicts, "list a school's open conflicts").add_argument(
        "--school", type=uuid.UUID, required=True
    )
    add("set-aside", set_aside, "list the events the server set aside (not taken as facts)").add_argument(
        "--school", type=uuid.UUID, required=True
    )
    add("staff", list_staff, "list a school's staff (ids for set-staff-pin)").add_argument(
        "--school", type=uuid.UUID, required=True
    )
    pin = add("set-staff-pin", set_staff_pin, "set a staff PIN (asked for, never on the command line)")
    pin.add_argument("staff", type=uuid.UUID)
    upkeep.add_commands(commands, admin_commands)
    return parser


def _workers(text: str) -> int:
    count = int(text)
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError("1 to 64 worker processes")
    return count
