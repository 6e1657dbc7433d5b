"""A county at 17:00 for the county_sync benchmark: its schools on a fresh central database, a kiosk
per room holding the afternoon it has not sent yet, and the office users who open reports then.

Each school is the demo school with its own seed (its own children, cards and books, the very ids its
kiosk knows). Each kiosk's afternoon is written by the kiosk's own history generator — children sign
in and out, call home, borrow books and take balls out and bring them back — and its push bodies are
made by the kiosk's own outbox code (sync.client.outbox), gzipped as its transport sends them. Kiosks
were enrolled in the morning (a device row with a token, as enrolment leaves it) and took the roster
then; during the day the office issued a few new cards, so the pull at 17:00 brings real rows.
"""

from __future__ import annotations

import base64
import gzip
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.county_plan import PASSWORD, KioskPlan, OfficePlan
from db.clock import ManualClock
from db.demo import load_demo_data
from db.demo_history import HistoryRates, generate_history
from db.demo_history_writer import BOOT_ID, ZONE
from db.models import OutboxEvent
from kiosk.services.database_open import open_database
from sync.client.outbox import batch_body, read_pending
from sync.client.transport import GZIP_ABOVE_BYTES, GZIP_LEVEL
from sync.server.cli.demo import import_demo_school
from sync.server.core.database import CentralDatabase
from sync.server.devices import credentials
from sync.server.devices import provisioning as admin
from sync.server.models import CentralChild, Device, OfficeRole, School
from sync.server.office import schools
from sync.server.office.accounts import users as accounts
from sync.server.office.roster import cards
from sync.wire import MAX_EVENTS_PER_BATCH

# About 300 events in an afternoon's opening of a 96-child room: most children come, a third call home,
# one in eight borrows a book, two in five take equipment out for the afternoon.
AFTERNOON = HistoryRates(visit=0.9, call_given_visit=0.3, book_given_visit=0.12, equipment_given_visit=0.4)
NEW_CARDS_TODAY = 3


def afternoon_kiosk(folder: Path, seed: int, roster_at: datetime, day: datetime) -> Path:
    """A kiosk file of the demo school `seed`, holding one afternoon's opening, nothing of it sent."""
    path = folder / f"kiosk-{seed}.sqlite3"
    uow = open_database(path, ManualClock(day))
    with uow:
        load_demo_data(uow.session, roster_at, seed, pin_key=uow.pin_key)
        generate_history(uow.session, day.date(), day.date(), seed=seed, weekends=True, rates=AFTERNOON)
        uow.commit()
    uow.engine.dispose()
    return path


def push_bodies(kiosk_file: Path, device_id: uuid.UUID, sent_at: datetime) -> tuple[list[str], int]:
    """The kiosk's pending events as its client would push them: batches, envelope, gzip."""
    uow = open_database(kiosk_file, ManualClock(sent_at))
    try:
        with uow.read() as session:
            last_occurred, last_mono = session.execute(
                select(OutboxEvent.occurred_at, OutboxEvent.monotonic_ns)
                .order_by(OutboxEvent.seq.desc())
                .limit(1)
            ).one()
        clock = ManualClock(sent_at, boot_id=BOOT_ID)
        clock.advance(timedelta(microseconds=(last_mono - clock.monotonic_ns()) / 1000))
        clock.advance(sent_at - last_occurred)
        bodies, after, events = [], 0, 0
        while True:
            pending = read_pending(uow.engine, MAX_EVENTS_PER_BATCH, after)
            if not pending.count:
                return bodies, events
            body = batch_body(pending, uuid.uuid4(), device_id, sent_at, clock, "bench")
            if len(body) > GZIP_ABOVE_BYTES:
                body = gzip.compress(body, compresslevel=GZIP_LEVEL)
            bodies.append(base64.b64encode(body).decode())
            after, events = pending.last_seq, events + pending.count
    finally:
        uow.engine.dispose()


def county_at_five(
    database: CentralDatabase, folder: Path, kiosks: int, office_users: int
) -> tuple[list[KioskPlan], list[OfficePlan]]:
    """`kiosks` schools with a room and a kiosk each, their afternoons, and the office users."""
    folder.mkdir(parents=True, exist_ok=True)
    afternoon = datetime.now(ZONE).replace(hour=17, minute=0, second=0, microsecond=0) - timedelta(days=1)
    roster_at = afternoon - timedelta(days=30)  # the roster the office loaded, and the kiosk pulled, then
    sent_at = datetime.now(UTC)
    with database.writes() as session:
        county = schools.create_county(session, "基准县教育局")
        session.commit()
    plans = []
    for number in range(kiosks):
        seed = 7000 + number
        kiosk_file = afternoon_kiosk(folder, seed, roster_at, afternoon)
        with sqlite3.connect(kiosk_file) as raw:
            device_id = uuid.UUID(hex=raw.execute("SELECT device_id FROM device_identity").fetchone()[0])
        school_id, token, cursor = _school_with_kiosk(database, county.id, number, seed, device_id, roster_at)
        bodies, events = push_bodies(kiosk_file, device_id, sent_at)
        plans.append(KioskPlan(str(school_id), str(device_id), token, cursor, bodies, events))
        kiosk_file.unlink()
    _office_day(database, [uuid.UUID(p.school_id) for p in plans])
    return plans, _office_users(database, county.id, [p.school_id for p in plans], office_users)


def _school_with_kiosk(
    database: CentralDatabase,
    county_id: uuid.UUID,
    number: int,
    seed: int,
    device_id: uuid.UUID,
    roster_at: datetime,
) -> tuple[uuid.UUID, str, int]:
    token_id, secret, token = credentials.new_device_token()
    with database.writes() as session:
        school = admin.create_school(session, f"第{number + 1}小学")
        school.county_id = county_id
        room = admin.create_room(session, school.id, "留守儿童之家")
        import_demo_school(session, school.id, roster_at, seed)
        session.add(
            Device(
                id=device_id,
                school_id=school.id,
                room_id=room.id,
                label="活动室",
                token_id=token_id,
                token_hash=credentials.digest(secret),
                enrolled_at=roster_at,
            )
        )
        session.flush()
        cursor = session.scalar(select(School.change_seq).where(School.id == school.id)) or 0
        session.commit()
        return school.id, token, cursor


def _office_day(database: CentralDatabase, school_ids: list[uuid.UUID]) -> None:
    """During the day each school's office gave a few children a new card (the old one worn out)."""
    with database.writes() as session:
        for school_id in school_ids:
            children = session.scalars(
                select(CentralChild.id).where(CentralChild.school_id == school_id).limit(NEW_CARDS_TODAY)
            ).all()
            for number, child_id in enumerate(children):
                cards.assign(
                    session, school_id, f"E{uuid.uuid4().hex[:7].upper()}{number}", child_id=child_id
                )
        session.commit()


def _office_users(
    database: CentralDatabase, county_id: uuid.UUID, school_ids: list[str], count: int
) -> list[OfficePlan]:
    """Mostly school administrators looking at their own school; one in ten from the bureau."""
    plans = []
    with database.writes() as session:
        for number in range(count):
            bureau = number % 10 == 9
            user = accounts.create_user(
                session,
                username=f"office{number:03d}",
                display_name=f"办公室{number}",
                password=PASSWORD,
                role=OfficeRole.BUREAU_VIEWER if bureau else OfficeRole.SCHOOL_ADMIN,
                school_id=None if bureau else uuid.UUID(school_ids[number % len(school_ids)]),
                county_id=county_id if bureau else None,
            )
            plans.append(OfficePlan(user.username, None if bureau else str(user.school_id)))
        session.commit()
    return plans
