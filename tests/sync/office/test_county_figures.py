"""The county overview's figures, taken for all schools at once from the summaries kept at intake, are
the very numbers each school's own report functions give — for schools with their own rules (a
weekly cadence, a 90-minute minimum, a later autumn start, another time zone), children who joined and
left, a room open past midnight, an opening never closed, visits on a day the room was not opened,
letters as contacts, and periods that start and end mid-month. The events reach the records by the
intake's own projection, in batches of every size, an end often in a later batch than its start."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import distinct, func, select, update

from sync.server import projections
from sync.server.core.school_settings import settings_of, updated_settings
from sync.server.models import CentralChild, CentralContact, CentralCopy, LoanRecord, School, VisitRecord
from sync.server.models.summaries import SUMMARY_MODELS
from sync.server.office import schools
from sync.server.projections import summaries
from sync.server.reports.basis import basis_for
from sync.server.reports.contact import is_overdue, last_contacts
from sync.server.reports.county_figures import SchoolPeriod, school_lines
from sync.server.reports.official import Standing, age_cutoff, sixteen_by, standing
from sync.server.reports.period import parse_period
from sync.server.reports.room_use import open_minutes_by_day
from tests.sync.central import Central, SchoolRef

NOW = datetime.now(UTC)
RULES = [
    {},
    {"contact_cadence": "weekly", "min_open_minutes_per_day": 90},
    {"autumn_semester_starts": "09-08", "timezone": "Asia/Urumqi", "contact_cadence": "biweekly"},
]


@dataclass(frozen=True)
class Stored:
    """A stored event as the projections read it."""

    id: uuid.UUID
    school_id: uuid.UUID
    device_id: uuid.UUID
    type: str
    payload: dict[str, Any]
    occurred_at: datetime
    corrected_at: datetime


class Room:
    """A school's room over the last ten weeks, as events in the order a kiosk would send them."""

    def __init__(
        self, school_id: uuid.UUID, zone: ZoneInfo, children: list, contacts: dict, copies: list, seed: int
    ):
        self.school_id, self.zone, self.rng = school_id, zone, random.Random(seed)
        self.children, self.contacts, self.copies = children, contacts, copies
        self.device, self.staff = uuid.uuid4(), uuid.uuid4()
        self.events: list[Stored] = []

    def add(self, event_type: str, at: datetime, **payload: Any) -> None:
        text = {
            k: v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, uuid.UUID) else v
            for k, v in payload.items()
        }
        self.events.append(Stored(uuid.uuid4(), self.school_id, self.device, event_type, text, at, at))

    def local(self, day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), self.zone).astimezone(UTC)

    def opening(self, opens: datetime, closes: datetime | None) -> None:
        session = uuid.uuid4()
        self.add("room.opened", opens, session_id=session, staff_id=self.staff)
        if closes is not None:
            self.add("room.closed", closes, session_id=session)

    def afternoon(self, day: date, opened: bool, minutes: int) -> None:
        opens = self.local(day, 15, 40)
        session = uuid.uuid4()
        if opened:
            self.add("room.opened", opens, session_id=session, staff_id=self.staff)
        for child in self.rng.sample(self.children, k=self.rng.randint(3, 9)):
            visit, at = uuid.uuid4(), opens + timedelta(minutes=self.rng.randint(1, 20))
            self.add("visit.signed_in", at, visit_id=visit, child_id=child)
            roll = self.rng.random()
            if roll < 0.3 and self.contacts.get(child):
                call = uuid.uuid4()
                self.add(
                    "call.started", at + timedelta(minutes=2), call_id=call, child_id=child,
                    callee_id=self.contacts[child], kind="phone", direction="outgoing",
                )  # fmt: skip
                ended = at + timedelta(minutes=8)
                self.add("call.ended", ended, call_id=call, ended_at=ended, reason="hung_up")
            elif roll < 0.4 and self.contacts.get(child):
                self.add(
                    "letter.recorded", at + timedelta(minutes=5), letter_id=uuid.uuid4(), child_id=child,
                    contact_id=self.contacts[child], direction="sent",
                )  # fmt: skip
            if self.rng.random() < 0.3:
                loan = uuid.uuid4()
                self.add(
                    "loan.borrowed", at + timedelta(minutes=3), loan_id=loan, child_id=child,
                    copy_id=self.rng.choice(self.copies), due_at=at + timedelta(days=14),
                )  # fmt: skip
                self.add("loan.returned", at + timedelta(minutes=30), loan_id=loan, condition="ok")
            out = at + timedelta(minutes=25)
            self.add("visit.signed_out", out, visit_id=visit, reason="signed_out", signed_out_at=out)
        if opened:
            self.add("room.closed", opens + timedelta(minutes=minutes), session_id=session)


def live(room: Room, first: date, last: date) -> None:
    day = first
    while day <= last:
        if day.weekday() < 5:
            kind = room.rng.random()
            room.afternoon(day, opened=kind > 0.1, minutes=40 if kind < 0.25 else 70)
        day += timedelta(days=1)
    # the edges a report must get right
    late = last - timedelta(days=9)
    room.opening(room.local(late, 23, 30), room.local(late + timedelta(days=1), 0, 40))  # past midnight
    room.opening(room.local(last - timedelta(days=3), 16, 0), None)  # never closed
    if first.day > 1:  # open across the period's first midnight: counts in the period before it
        eve = first - timedelta(days=1)
        room.opening(room.local(eve, 23, 0), room.local(first, 1, 0))


def push(central: Central, school: School, events: list[Stored], rng: random.Random) -> None:
    """In batches of every size, as kiosks push them: each batch projected as intake does."""
    index = 0
    while index < len(events):
        size = rng.choice((1, 2, 5, 17, 60, 400))
        with central.edit() as session:
            projections.project(session, session.get(School, school.id), events[index : index + size])
        index += size


@pytest.fixture(scope="module")
def county(central: Central) -> tuple[uuid.UUID, list[SchoolRef], date, date]:
    first = (NOW - timedelta(days=70)).date()
    last = (NOW - timedelta(days=1)).date()
    refs = []
    with central.edit() as session:
        county_id = schools.create_county(session, "城区教育局").id
    for number, rules in enumerate(RULES):
        ref = central.new_school(f"第{number + 1}实验小学")
        refs.append(ref)
        with central.edit() as session:
            school = session.get(School, ref.id)
            school.county_id = county_id
            updated_settings(school, rules)
            children = session.scalars(
                select(CentralChild.id).where(CentralChild.school_id == ref.id).order_by(CentralChild.id)
            ).all()
            # one child joined mid-way, one left, one left before it all began
            session.execute(
                update(CentralChild)
                .where(CentralChild.id == children[0])
                .values(joined_on=first + timedelta(days=30))
            )
            session.execute(
                update(CentralChild)
                .where(CentralChild.id == children[1])
                .values(left_on=last - timedelta(days=20))
            )
            session.execute(
                update(CentralChild)
                .where(CentralChild.id == children[2])
                .values(left_on=first - timedelta(days=5))
            )
            # two children whose parents are both away, one sixteen on the semester's first day (not in
            # the official count) and one a day younger (in it)
            semester = parse_period("", settings_of(school), NOW.astimezone(settings_of(school).zone).date())
            for child, birthday in zip(children[3:5], (0, 1), strict=True):
                session.execute(
                    update(CentralChild)
                    .where(CentralChild.id == child)
                    .values(
                        birthday=sixteen_by(semester.start) + timedelta(days=birthday),
                        father_away=True,
                        mother_away=True,
                    )
                )
            contacts: dict[uuid.UUID, uuid.UUID] = {}
            for child_id, contact_id in session.execute(
                select(CentralContact.child_id, CentralContact.id)
                .where(CentralContact.school_id == ref.id)
                .order_by(CentralContact.id)
            ):
                contacts.setdefault(child_id, contact_id)
            copies = session.scalars(select(CentralCopy.id).where(CentralCopy.school_id == ref.id)).all()
            zone = settings_of(school).zone
        room = Room(ref.id, zone, list(children[:60]), contacts, list(copies), seed=number)
        live(room, first, last)
        with central.db.reads() as session:
            school = session.get(School, ref.id)
        push(central, school, room.events, random.Random(number))
    return county_id, refs, first, last


def reference_line(session, school: School, period_code: str) -> list[int]:
    """The school's figures as its own reports' functions compute them, one school at a time."""
    settings = settings_of(school)
    period = parse_period(period_code, settings, NOW.astimezone(settings.zone).date())
    basis = basis_for(session, school, period, NOW, "zh_CN")
    children = basis.children()
    official = sum(standing(c, age_cutoff(basis)) is Standing.OFFICIAL for c in children)
    came = set(
        session.scalars(
            select(distinct(VisitRecord.child_id)).where(
                VisitRecord.school_id == school.id,
                VisitRecord.day >= period.start,
                VisitRecord.day <= period.end,
            )
        )
    )
    last = last_contacts(basis)
    on_roster = [c for c in children if c.on_roster(basis.as_of_day)]
    overdue = sum(is_overdue(last.get(c.id), basis.as_of, settings.contact_cadence.days) for c in on_roster)
    minutes, _ = open_minutes_by_day(basis)
    visit_days = set(
        session.scalars(
            select(distinct(VisitRecord.day)).where(
                VisitRecord.school_id == school.id,
                VisitRecord.day >= period.start,
                VisitRecord.day <= period.end,
            )
        )
    )
    open_days = set(minutes) | visit_days
    under = sum(round(minutes.get(day, 0.0)) < settings.min_open_minutes_per_day for day in open_days)
    loans = session.scalar(
        select(func.count()).where(LoanRecord.school_id == school.id, basis.during(LoanRecord.borrowed_at))
    )
    return [
        len(children),
        official,
        sum(c.id in came for c in children),
        len(on_roster),
        overdue,
        len(open_days),
        round(sum(minutes.values())),
        under,
        loans or 0,
    ]


def county_lines(session, refs: list[SchoolRef], period_code: str) -> dict[uuid.UUID, list[int]]:
    readings = []
    for ref in refs:
        school = session.get(School, ref.id)
        settings = settings_of(school)
        period = parse_period(period_code, settings, NOW.astimezone(settings.zone).date())
        readings.append(
            SchoolPeriod(
                school.id, settings, period, period.as_of(settings, NOW), period.as_of_day(settings, NOW)
            )
        )
    return school_lines(session, readings)


def periods(first: date, last: date) -> list[str]:
    middle = first + (last - first) / 2
    month = middle.replace(day=1)
    return [
        "",  # the running semester
        f"month:{month:%Y-%m}",
        f"range:{first + timedelta(days=11)}..{last - timedelta(days=13)}",  # mid-month to mid-month
        f"range:{last - timedelta(days=9)}..{last - timedelta(days=8)}",  # the night the room stayed open
        f"range:{first}..{last}",
    ]


def test_every_figure_is_the_school_s_own(central: Central, county) -> None:
    _county_id, refs, first, last = county
    with central.db.reads() as session:
        for code in periods(first, last):
            found = county_lines(session, refs, code)
            for ref in refs:
                expected = reference_line(session, session.get(School, ref.id), code)
                assert found[ref.id] == expected, (code, RULES[refs.index(ref)])
                assert all(expected[:7]), expected  # children, visits, contacts and opening hours to count


def test_the_summaries_kept_at_intake_are_what_a_rebuild_from_the_records_makes(
    central: Central, county
) -> None:
    _county_id, refs, _first, _last = county

    def snapshot() -> dict[str, set[tuple]]:
        with central.db.reads() as session:
            return {
                model.__tablename__: {
                    tuple(row)
                    for row in session.execute(
                        select(model.__table__).where(model.school_id.in_([r.id for r in refs]))
                    )  # type: ignore[attr-defined]
                }
                for model in SUMMARY_MODELS
            }

    kept = snapshot()
    assert all(kept.values())
    with central.edit() as session:
        for ref in refs:
            school = session.get(School, ref.id)
            summaries.rebuild_school(session, school, settings_of(school).zone)
    assert snapshot() == kept
